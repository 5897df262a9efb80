"""``{% line_call_button lead %}``: the click-to-call button, on the pages of lower apps (the
lead page, the queue, the outcome sheet) that cannot import integrations: a template names a
tag library, not a module, so the layers hold."""

from django import template

from leadtracker.integrations import registry
from leadtracker.integrations.telephony.selectors import button_line

register = template.Library()
NOT_LOOKED = object()


@register.inclusion_tag("integrations/telephony/_call_button.html", takes_context=True)
def line_call_button(context, lead, primary: bool = False):
    request = context.get("request")
    line = None
    if request is not None and getattr(request, "org", None) is not None:
        line = line_of(request)
    provider = registry.get(line["kind"]) if line is not None else None
    return {
        "line": line,
        # The provider's short name ("Exotel"), not the connector's ("Exotel Office, Pune"): the
        # button shares a phone's row with Call and WhatsApp. The connector's name is its title.
        "label": provider.label if provider is not None else line["name"] if line is not None else "",
        "lead": lead,
        "primary": primary,
        "back": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


def line_of(request):
    """The organisation's line for the buttons. One query a request, however many buttons the
    page draws (a queue of 50 cards), and a cheap one (two columns of one row). Not cached across
    requests: the cache is the database here (DatabaseCache), so a cache read would cost the same
    query, and a process's own memory would keep showing a removed line in the other workers."""
    line = getattr(request, "_telephony_line", NOT_LOOKED)
    if line is NOT_LOOKED:
        line = request._telephony_line = button_line(request.org.pk)
    return line


def before_lead_page(request, lead, links: dict) -> None:
    """Read the line before the lead page renders, when the page will draw the button (a tel:
    link and no do-not-call: detail.html's condition), so that rendering waits for nothing
    (leads/views/lead_page.BEFORE_RENDER)."""
    if links.get("tel") and not lead.do_not_call:
        line_of(request)
