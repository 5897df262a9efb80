"""The calling queue page, skipping a lead, and the admins' talk scripts page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.calls.models import TalkScript
from leadtracker.calls.queue import actions, selectors
from leadtracker.calls.sheet.views import sheet_context, sheet_form
from leadtracker.leads import selectors as lead_selectors
from leadtracker.leads.fields import display as field_display
from leadtracker.leads.fields import selectors as field_selectors
from leadtracker.leads.models import LeadSource, LeadStatus
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import int_or_none


def _today(request):
    return timezone.now().astimezone(request.org.tzinfo).date()


@member_required()
def queue(request):
    member = request.membership
    tz = request.org.tzinfo
    skips = selectors.skips_of(request.session, _today(request))
    q = selectors.queue_for(member, tz, skipped=skips["skipped"], dropped=skips["dropped"])
    context = {
        "queue": q,
        "entry": q.current,
        "team": selectors.team_queue_lengths(member, tz),
        "skip_reasons": actions.SKIP_REASONS,
    }
    if q.current is not None:
        context |= selectors.lead_card(member, q.current)
        # What the team records about the lead (budget, BHK …), filled ones only, hidden ones
        # left out for agents (leads/fields).
        context["custom_sections"] = field_display.sections(
            field_selectors.fields_for(member), context["lead"].custom_fields, filled_only=True
        )
        form = sheet_form(request)
        back = reverse("queue")
        context |= sheet_context(request, form, reverse("outcome_sheet", args=[q.current.lead_id]), back=back)
    return render(request, "calls/queue.html", context)


@require_POST
@member_required()
def queue_skip(request, lead_id):
    member = request.membership
    lead = lead_selectors.get_lead(member, lead_id)
    try:
        actions.skip_lead(
            request.session,
            lead,
            reason=request.POST.get("reason", ""),
            today=_today(request),
            actor=Actor.from_request(request),
            by=member,
        )
    except ActionError as exc:
        messages.error(request, _("Not skipped: %(why)s.") % {"why": exc.message})
    else:
        if request.POST.get("reason") == "handled":
            text = _("Skipped “%(lead)s”: it comes back tomorrow.")
        else:
            text = _("Skipped “%(lead)s”: it comes back after the others.")
        messages.info(request, text % {"lead": lead})
    return redirect("queue")


@member_required(Role.ADMIN)
def talk_scripts(request):
    org = request.org
    statuses = list(lead_selectors.statuses(org.pk))
    sources = list(LeadSource.objects.filter(organisation_id=org.pk, is_active=True).order_by("name"))
    if request.method == "POST":
        status = source = None
        kind, _sep, raw_id = request.POST.get("target", "").partition(":")
        pk = int_or_none(raw_id)
        if kind == "status" and pk is not None:
            status = LeadStatus.objects.filter(organisation_id=org.pk, pk=pk).first()
        elif kind == "source" and pk is not None:
            source = LeadSource.objects.filter(organisation_id=org.pk, pk=pk).first()
        if status is None and source is None:
            raise Http404("no such status or source")
        try:
            actions.save_talk_script(
                org,
                status=status,
                source=source,
                text=request.POST.get("text", ""),
                actor=Actor.from_request(request),
            )
        except ActionError as exc:
            messages.error(request, _("Not saved: %(why)s.") % {"why": exc.message})
        else:
            messages.success(request, _("Talk script for “%(name)s” saved.") % {"name": status or source})
        return redirect("talk_scripts")
    scripts = TalkScript.objects.filter(organisation_id=org.pk)
    by_status = {s.status_id: s.text for s in scripts if s.status_id}
    by_source = {s.source_id: s.text for s in scripts if s.source_id}
    rows = [("status", s, by_status.get(s.pk, "")) for s in statuses]
    rows += [("source", s, by_source.get(s.pk, "")) for s in sources]
    return render(request, "calls/talk_scripts.html", {"rows": rows})
