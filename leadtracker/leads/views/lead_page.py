"""The lead page: one lead with its numbers, tags, timeline, follow-ups and the links to call or
message it (moved out of views/leads.py, which had reached the 700-line limit)."""

from urllib.parse import quote

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from leadtracker.accounts.decorators import member_required
from leadtracker.leads import access, masking, page_reads, selectors
from leadtracker.leads.actions.settings import render_template
from leadtracker.leads.fields import display as field_display
from leadtracker.leads.models import FollowUpKind
from leadtracker.leads.trash import selectors as trash_selectors
from leadtracker.leads.trash.actions import may_restore
from leadtracker.leads.views import blank_forms, cached
from leadtracker.lib.web import merge_context

# Reads that higher apps' template tags on this page would make while it renders (the
# click-to-call line: integrations), made before the access event is sent, so that the page
# renders while PostgreSQL commits it and waits for nothing until it is done: each is called
# as f(request, lead, links). Registered in their AppConfig.ready(), as leads/timeline.BRANCHES.
BEFORE_RENDER: list = []


def _links(lead, request, message_templates):
    """tel:, and per message template a WhatsApp and an sms: link with the text filled in —
    the person sends it from their own phone; the server never sends anything."""
    if not lead.phone:
        return {}
    digits = lead.phone.lstrip("+")
    messages_out = []
    for template in message_templates:
        text = render_template(
            template.body,
            lead=lead,
            agent_name=request.user.get_short_name(),
            organisation_name=request.org.name,
        )
        messages_out.append(
            {
                "name": template.name,
                "text": text,
                "whatsapp": f"https://wa.me/{digits}?text={quote(text)}",
                "sms": f"sms:{lead.phone}?body={quote(text)}",
            }
        )
    return {
        "tel": f"tel:{lead.phone}",
        "whatsapp": f"https://wa.me/{digits}",
        "sms": f"sms:{lead.phone}",
        "messages": messages_out,
    }


def _in_the_trash(request, lead_id):
    """A link to a lead that was moved to the trash: a page saying so, with Restore for who
    may, answered 404 all the same (the lead is not there); another organisation's, or one the
    viewer may not see, is a plain 404 like any lead that is not there."""
    trashed = (
        trash_selectors.trash_for(request.membership).select_related("deleted_by").filter(pk=lead_id).first()
    )
    if trashed is None:
        raise Http404("no such lead")
    now = timezone.now()
    context = {
        "trashed": trashed,
        "days_left": trash_selectors.days_left(trashed, now),
        "may_restore": may_restore(request.membership, trashed),
    }
    return render(request, "leads/trashed.html", context, status=404)


@member_required()
def lead_detail(request, lead_id):
    try:
        lead = selectors.get_lead(request.membership, lead_id)
    except Http404:
        return _in_the_trash(request, lead_id)
    statuses, message_templates = page_reads.statuses_and_templates(lead.organisation_id)
    # Only the choices the page shows; the statuses were read with the message templates.
    choices = {"status_choices": statuses, **selectors.choices(request.membership, ("owner_choices",))}
    masked = masking.hides(request.membership, lead.owner_id)
    timeline = page_reads.timeline(lead)
    found = page_reads.lead_rows(lead)
    context = merge_context(
        {
            "lead": lead,
            "phones": masking.mark_phones(request.membership, lead, found.phones),
            "tags": found.tags,
            "timeline": timeline,
            "ownership": [a for a in timeline if a.kind == "owner"],  # its history, once filtered
            # No tel:, WhatsApp or SMS link carries a number the viewer may not see.
            "links": {} if masked else _links(lead, request, message_templates),
            "open_follow_ups": found.open_follow_ups,
            "consents": found.consents,
            "note_fields": blank_forms.fields("note"),
            "follow_up_fields": blank_forms.fields("follow_up"),
            "follow_up_kinds": FollowUpKind.choices,
            "owner_ids": [m.user_id for m in choices["owner_choices"]],
            "now": timezone.now(),
            "custom_sections": field_display.sections(cached.custom_fields(request), lead.custom_fields),
        },
        choices,
    )
    # Recorded once the page's reads are done, and awaited once it is rendered: its commit's
    # flush overlaps the rendering (accounts/audit.access_sent; a read in the template would
    # wait for it, so the tags' reads are made first).
    for read in BEFORE_RENDER:
        read(request, lead, context["links"])
    settled = access.lead_viewed(request, lead.pk, via="web")
    response = render(request, "leads/detail.html", context)
    settled()
    return response
