"""Pages: phones and their sync health; calls, recent calls, outcomes, manual calls, missed
calls to return; outcome settings and usage data for admins."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Membership, Role
from leadtracker.accounts.visibility import subtree_membership_ids, teams_for, visible_memberships
from leadtracker.calls import actions, forms, selectors
from leadtracker.calls.models import Call, CallStatus, Outcome
from leadtracker.leads import masking
from leadtracker.leads.selectors import assignable_members, get_lead, leads_for
from leadtracker.leads.selectors import statuses as lead_statuses
from leadtracker.lib import confirm, spreadsheet
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_sorted
from leadtracker.lib.web import safe_back, show_action_error


@member_required()
def devices(request):
    member = request.membership
    new_code, refused = None, False
    if request.method == "POST":
        target = member
        if request.POST.get("member"):
            target = visible_memberships(member).filter(pk=request.POST.get("member")).first()
        try:
            if target is None:
                raise ActionError(_("no such member"), field="member", status_code=404)
            code, raw = actions.create_pairing_code(target, actor=Actor.from_request(request), by=member)
            new_code = {
                "code": raw,
                "expires_at": code.expires_at,
                "for": target.user,
                "mine": target == member,
            }
        except ActionError as exc:
            refused = True
            # The page's one choice is the member the code is for: the reason says enough.
            messages.error(request, exc.message)
    team = (
        list(visible_memberships(member).filter(is_active=True).select_related("user"))
        if member.has_role("manager")
        else []
    )
    return render(
        request,
        "calls/devices.html",
        {"rows": selectors.health(member), "new_code": new_code, "team": team},
        status=422 if refused else 200,
    )


@require_POST
@member_required()
def revoke(request, device_id):
    device = selectors.get_device(request.membership, device_id)
    if (answer := confirm.gate(request, _revoke_question(request, device))) is not None:
        return answer
    try:
        actions.revoke_device(device, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s” is revoked; it can no longer sync.") % {"name": device.name})
    return redirect("devices")


def _revoke_question(request, device) -> "confirm.Question | None":
    if device.revoked_at is not None:
        return None  # revoked already: nothing more happens
    if device.user_id == request.user.pk:
        title = _("Revoke your phone “%(name)s”?") % {"name": device.name}
    else:
        title = _("Revoke %(person)s's phone “%(name)s”?") % {"person": device.user, "name": device.name}
    details = [_("It stops syncing at once and its token no longer works. To use it again, pair it anew.")]
    if device.queue_length:
        n = device.queue_length
        details.append(
            ngettext(
                "At its last sync it still had %(n)s call waiting to be sent.",
                "At its last sync it still had %(n)s calls waiting to be sent.",
                n,
            )
            % {"n": n}
        )
    return confirm.Question(
        title=title,
        details=details,
        button=_("Revoke phone"),
        cancel_url=reverse("devices"),
    )


# --- calls ---------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "started_at",
    "agent",
    "direction",
    "status",
    "duration_s",
    "number",
    "lead_id",
    "lead",
    "outcome",
    "note",
    "via",
]


def _day_bounds(f: forms.CallFilterForm, tz):
    start = end = None
    if f.cleaned_data.get("start"):
        start = dt.datetime.combine(f.cleaned_data["start"], dt.time.min, tz)
    if f.cleaned_data.get("end"):
        end = dt.datetime.combine(f.cleaned_data["end"] + dt.timedelta(days=1), dt.time.min, tz)
    return start, end


def _csv_rows(qs, tz, viewer):
    """The calls as rows of the CSV, a chunk of the query at a time (lib/spreadsheet.py makes
    the cells formula-safe and streams the file)."""
    # A call may match a colleague's lead: its name only where the viewer may open the lead.
    qs = qs.annotate(lead_visible=Exists(leads_for(viewer).filter(pk=OuterRef("lead_id"))))
    for c in (
        qs.select_related("user", "lead", "outcome").order_by("-started_at", "-id").iterator(chunk_size=2000)
    ):
        yield [
            c.pk,
            c.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            str(c.user),
            c.get_direction_display(),
            c.get_status_display(),
            c.duration_s,
            masking.shown(viewer, c.number, masking.lead_owner_of(c), has_lead=bool(c.lead_id)),
            c.lead_id or "",
            str(c.lead) if c.lead_id and c.lead_visible else "",
            c.outcome.name if c.outcome else "",
            c.note,
            c.via,
        ]


@member_required()
def calls_list(request):
    member = request.membership
    tz = request.org.tzinfo
    people = list(visible_memberships(member).select_related("user").order_by("user__full_name"))
    teams = [m for m in people if m.role == Role.MANAGER] if member.has_role(Role.MANAGER) else []
    f = forms.CallFilterForm(
        request.GET or None,
        people=people if len(people) > 1 else (),
        teams=teams,
        statuses=CallStatus.choices,
    )
    flt = selectors.CallFilter()
    if f.is_bound and f.is_valid():
        start, end = _day_bounds(f, tz)
        flt = selectors.CallFilter(
            user_id=f.cleaned_data["user"],
            team_of=f.cleaned_data["team"],
            status=f.cleaned_data["status"],
            direction=f.cleaned_data["direction"],
            start=start,
            end=end,
            lead=f.cleaned_data["lead"],
        )
    qs = selectors.filter_calls(member, flt)
    if request.GET.get("format") == "csv":
        return spreadsheet.csv_response(
            request,
            f"calls-{timezone.localdate().isoformat()}.csv",
            CSV_COLUMNS,
            _csv_rows(qs, tz, member),
            audit=spreadsheet.Audit("call.export", object_type="call_list", changes={"format": "csv"}),
        )
    try:
        rows, next_cursor = keyset_sorted(
            qs.select_related("user", "lead", "outcome"),
            field="started_at",
            descending=True,
            cursor=request.GET.get("cursor"),
            limit=50,
            parse=dt.datetime.fromisoformat,
        )
    except ActionError:  # a cursor that was not ours: start at the top
        rows, next_cursor = keyset_sorted(
            qs.select_related("user", "lead", "outcome"),
            field="started_at",
            descending=True,
            cursor=None,
            limit=50,
        )
    rows = masking.mark_calls(member, selectors.mark_visible_leads(member, rows))
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "calls/list.html",
        {
            "form": f,
            "rows": rows,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            # Whose call it was, only to someone who sees more than their own: on a phone an
            # agent's own name on every row pushed the outcome out of sight.
            "show_agent": len(people) > 1,
            # An empty page with no filter set says how calls arrive; with one, that none match.
            "filtered": any(query.values()),
        },
    )


@member_required()
def recent(request):
    rows = selectors.mark_visible_leads(request.membership, selectors.recent_calls(request.membership))
    masking.mark_calls(request.membership, rows)
    selectors.mark_lead_makers(rows, request.org.phone_region)
    return render(request, "calls/recent.html", {"rows": rows})


MISSED_SHOWN = 200


@member_required()
def missed(request):
    """Missed calls to return, oldest first; ``team`` (a manager's membership id) keeps those
    assigned to that manager's subtree — the dashboard counts its tile the same way, so the tile
    and the list agree. A team the viewer may not see, or another organisation's, is a 404."""
    viewer = request.membership
    teams = teams_for(viewer)
    raw_team = request.GET.get("team", "").strip()
    team, error = None, ""
    if raw_team.isdecimal():  # not isdigit: "²" is a digit int() refuses
        team = next((t for t in teams if t.pk == int(raw_team)), None)
        if team is None:
            raise Http404("no such team")
    elif raw_team:
        error = _("Team: choose a team from the list")
    team_users = None
    if team is not None:
        team_users = Membership.objects.filter(pk__in=subtree_membership_ids(team)).values("user_id")
    rows, total = [], 0
    if not error:
        rows = selectors.missed_to_return(viewer, MISSED_SHOWN, team_users)
        # Counted only when the list is cut short: otherwise the rows are the count.
        total = (
            selectors.waiting_call_backs(viewer, team_users).count()
            if len(rows) == MISSED_SHOWN
            else len(rows)
        )
    context = {
        "rows": masking.mark_calls(viewer, rows),
        "total": total,
        "teams": teams,
        "team": team,
        "team_error": error,
    }
    return render(request, "calls/missed.html", context)


def _next_follow_up(form) -> "actions.NextFollowUp | None":
    when = form.cleaned_data.get("follow_up_at")
    if not when:
        return None
    return actions.NextFollowUp(due_at=when, kind=form.cleaned_data.get("follow_up_kind") or "call")


def _posted(request):
    """The form's data on a POST, else None. Not ``request.POST or None``: a POST whose fields
    are all empty is still a POST, and must be answered as one, never as a fresh page."""
    return request.POST if request.method == "POST" else None


def _form_page(request, template: str, context: dict, form):
    """A page with a form. A form sent and refused answers 422, and the page names every error
    with its field (templates/_form_errors.html): nothing answers success while saving nothing."""
    return render(request, template, context, status=422 if form.is_bound and form.errors else 200)


@member_required()
def call_detail(request, call_id):
    member = request.membership
    call = selectors.call_shown(member, call_id, request.org.phone_region)
    choices = list(selectors.outcomes(member.organisation_id))
    initial = {"outcome": call.outcome_id, "note": call.note}
    # A follow-up is planned on a lead: a call with none (or a colleague's) has no such fields.
    form = forms.RecordOutcomeForm(
        _posted(request),
        initial=initial,
        outcomes=choices,
        follow_up=bool(call.lead_id and call.lead_visible),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_outcome(
                call,
                outcome_id=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                follow_up=_next_follow_up(form),
                actor=Actor.from_request(request),
                by=member,
            )
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, _("Outcome saved."))
            return redirect(safe_back(request, reverse("recent_calls")))
    asks = [d.pk for d in choices if d.asks_follow_up]
    # Where to go after saving, kept through a refused form too.
    back = request.POST.get("back") or request.GET.get("back", "")
    context = {"call": call, "form": form, "asks_follow_up": asks, "back": back}
    return _form_page(request, "calls/detail.html", context, form)


@member_required()
def call_create_lead(request, call_id):
    """A lead from a call whose number is no lead: the number filled in, the owner by default
    the person whose phone it was on. A number that is a lead by now opens that lead."""
    member = request.membership
    call = selectors.get_call(member, call_id)
    selectors.mark_visible_leads(member, [call])
    if call.lead_id:
        if call.lead_visible:
            return redirect("lead_detail", call.lead_id)
        messages.info(request, _("This call is already a colleague's lead's."))
        return redirect("call_detail", call.pk)
    masking.mark_calls(member, [call])
    selectors.mark_lead_makers([call], request.org.phone_region)
    owners = list(assignable_members(member)) if member.role != Role.AGENT else []
    may_own = any(m.user_id == call.user_id for m in owners)
    form = forms.LeadFromCallForm(
        _posted(request),
        owners=owners,
        allow_nobody=member.role != Role.AGENT,
        initial={"owner": str(call.user_id) if may_own else forms.LeadFromCallForm.NOBODY},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lead, created = actions.create_lead_from_call(
                call,
                name=form.cleaned_data["name"],
                company=form.cleaned_data["company"],
                email=form.cleaned_data["email"],
                owner_id=form.owner_id(),
                actor=Actor.from_request(request),
                by=member,
            )
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            if created:
                messages.success(request, _("Lead “%(lead)s” created from the call.") % {"lead": lead})
                return redirect("lead_detail", lead.pk)
            if leads_for(member).filter(pk=lead.pk).exists():
                text = _("This number is already a lead: “%(lead)s”. The call is now linked to it.")
                messages.info(request, text % {"lead": lead})
                return redirect("lead_detail", lead.pk)
            text = _("This number is already a colleague's lead. The call is now linked to it.")
            messages.info(request, text)
            return redirect("call_detail", call.pk)
    context = {"call": call, "form": form}
    return _form_page(request, "calls/create_lead.html", context, form)


@member_required()
def log(request):
    member = request.membership
    lead = None
    lead_id = request.GET.get("lead") or request.POST.get("lead")
    if lead_id and str(lead_id).isdigit():
        lead = get_lead(member, int(lead_id))
    form = forms.ManualCallForm(_posted(request), outcomes=selectors.outcomes(member.organisation_id))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call, _created = actions.log_call(
                member,
                lead=lead,
                number=data["number"],
                direction=data["direction"],
                connected=data["connected"],
                started_at=data["started_at"],
                duration_s=(data["minutes"] or 0) * 60,
                outcome_id=data["outcome"],
                note=data["note"],
                follow_up=_next_follow_up(form),
                actor=Actor.from_request(request),
            )
        except ActionError as exc:
            show_action_error(form, exc)
        else:
            messages.success(request, _("Call logged."))
            return redirect("lead_detail", call.lead_id) if call.lead_id else redirect("recent_calls")
    return _form_page(request, "calls/log.html", {"form": form, "lead": lead}, form)


@member_required(Role.ADMIN)
def outcomes(request):
    org = request.org
    statuses = list(lead_statuses(org.pk))
    form = forms.OutcomeForm(_posted(request), statuses=statuses)
    if request.method == "POST":
        editing = None
        if request.POST.get("id"):
            editing = get_object_or_404(Outcome, organisation_id=org.pk, pk=request.POST["id"])
        if form.is_valid():
            stops = editing is not None and editing.is_active and not form.cleaned_data["is_active"]
            question = _hide_outcome_question(editing) if stops else None
            if (answer := confirm.gate(request, question)) is not None:
                return answer
            try:
                actions.save_outcome(
                    org, **form.cleaned_data, outcome=editing, actor=Actor.from_request(request)
                )
            except ActionError as exc:
                show_action_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("outcomes")
    rows = list(selectors.outcomes(org.pk, active_only=False))
    context = {"form": form, "rows": rows, "statuses": statuses}
    return _form_page(request, "calls/outcomes.html", context, form)


def _hide_outcome_question(outcome) -> "confirm.Question":
    # Outcomes are never deleted (past calls name them): taking one out of use is the deletion.
    n = Call.objects.filter(outcome=outcome).count()
    calls = ngettext("%(n)s call has it and keeps it.", "%(n)s calls have it and keep it.", n) % {"n": n}
    return confirm.Question(
        title=_("Stop using outcome “%(name)s”?") % {"name": outcome.name},
        details=[
            _("Agents can no longer choose it after a call."),
            calls if n else _("No call has it."),
        ],
        button=_("Stop using it"),
        cancel_url=reverse("outcomes"),
    )


@member_required(Role.ADMIN)
def usage(request):
    context = {"usage": selectors.usage_summary(request.org.pk), "retention": settings.USAGE_RETENTION_DAYS}
    return render(request, "calls/usage.html", context)
