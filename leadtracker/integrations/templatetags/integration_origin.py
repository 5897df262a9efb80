"""``{% lead_origin lead as origin %}``: where a lead made by a connector came from
(``Facebook: Diwali 2BHK form``), and for an admin its payload, on the lead page (a lower app's
template, which names this tag library instead of importing integrations)."""

from django import template

from leadtracker.integrations.selectors import origin_payload

register = template.Library()


@register.simple_tag(takes_context=True)
def lead_origin(context, lead):
    # Kept on the lead when the connector made it: no query for the words, none at all for a
    # lead typed in or imported (the payload is looked up only when there is an origin).
    attribution = str((lead.extra or {}).get("attribution") or "").strip()
    if not attribution:
        return None
    request = context.get("request")
    membership = getattr(request, "membership", None)
    return {"attribution": attribution, "payload": origin_payload(membership, lead)}
