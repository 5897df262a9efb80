"""Pages: the admins' data requests register, registering a request and handling one."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.formats import day
from leadtracker.lib.web import refusal_text
from leadtracker.privacy import selectors
from leadtracker.privacy.models import (
    DataRequest,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from leadtracker.privacy.requests import actions

# A refusal names its field by the label the page shows it under (lib/web.refusal_text), not by
# the action's name for it; the action's names that differ from the page's are listed too.
PERIOD_LABELS = {"request_period_days": gettext_lazy("Days to answer a request")}
NEW_LABELS = {
    "kind": pgettext_lazy("of a data request", "Kind"),
    "subject": gettext_lazy("About whom"),
    "lead_contact": gettext_lazy("A lead's phone number or e-mail"),
    "member": gettext_lazy("Member"),
    "member_id": gettext_lazy("Member"),
    "requested_by": gettext_lazy("Asked by"),
    "channel": gettext_lazy("Received by"),
    "received_on": gettext_lazy("Received on"),
    "received_at": gettext_lazy("Received on"),
    "details": gettext_lazy("What is asked"),
    "verification_note": gettext_lazy("Identity check"),
}
HANDLING_LABELS = {
    "status": gettext_lazy("Status"),
    "verification_note": gettext_lazy("Identity check"),
    "outcome": gettext_lazy("Outcome"),
    "refusal_reason": gettext_lazy("Reason for refusal"),
}


@member_required(Role.ADMIN)
def data_requests(request):
    org = request.org
    if request.method == "POST":
        raw = request.POST.get("request_period_days", "").strip()
        try:
            actions.set_request_period(
                org, int(raw) if raw.isdigit() else raw, actor=Actor.from_request(request)
            )
        except ActionError as exc:
            messages.error(request, refusal_text(PERIOD_LABELS, exc))
        else:
            messages.success(
                request, _("Request period saved: it applies to requests registered from now on.")
            )
        return redirect("privacy_requests")
    rows = list(selectors.data_requests(org.pk)[:500])
    now = timezone.now()
    for row in rows:
        row.overdue = row.is_overdue(now)
    return render(
        request,
        "privacy/requests.html",
        {"rows": rows, "period": selectors.request_period_days(org.pk)},
    )


def _received_at(org, value: str):
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ActionError(_("not a date (YYYY-MM-DD)"), field="received_on") from None
    if day == timezone.localdate(timezone=org.tzinfo):
        return None  # today: now, so the request is due at this hour, not at last midnight
    if day > timezone.localdate(timezone=org.tzinfo):
        raise ActionError(_("cannot be in the future"), field="received_on")
    return dt.datetime.combine(day, dt.time(12), tzinfo=org.tzinfo)


@member_required(Role.ADMIN)
def new_data_request(request):
    org = request.org
    error = None
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        contact = form.get("lead_contact", "").strip()
        member_id = form.get("member", "").strip()
        try:
            lead, member = actions.find_subject(
                org,
                member_id=int(member_id) if member_id.isdigit() else None,
                email=contact if "@" in contact else None,
                phone=contact if contact and "@" not in contact else None,
            )
            created = actions.create_request(
                org,
                actor=Actor.from_request(request),
                kind=form.get("kind", ""),
                requested_by=form.get("requested_by", ""),
                channel=form.get("channel", ""),
                lead=lead,
                member=member,
                received_at=_received_at(org, form.get("received_on", "")),
                details=form.get("details", ""),
                verification_note=form.get("verification_note", ""),
            )
        except ActionError as exc:
            error = exc
            if exc.field in ("phone", "email"):
                error.field = "lead_contact"
        else:
            messages.success(
                request,
                _("Request #%(number)s registered; due %(due)s.")
                % {"number": created.pk, "due": day(created.due_at)},
            )
            return redirect("privacy_request", created.pk)
    return render(
        request,
        "privacy/request_new.html",
        {
            "form": form,
            "error": error,
            "refusal": refusal_text(NEW_LABELS, error) if error else "",
            "kinds": RequestKind.choices,
            "channels": RequestChannel.choices,
            "members": selectors.members(org.pk),
            "today": timezone.localdate(timezone=org.tzinfo).isoformat(),
            "period": selectors.request_period_days(org.pk),
        },
        status=400 if error else 200,
    )


@member_required(Role.ADMIN)
def data_request_detail(request, request_id):
    try:
        req = selectors.data_request(request.org.pk, request_id)
    except DataRequest.DoesNotExist:
        raise Http404 from None
    error = None
    if request.method == "POST":
        try:
            req = actions.update_request(
                req,
                actor=Actor.from_request(request),
                status=request.POST.get("status", ""),
                verification_note=request.POST.get("verification_note", ""),
                outcome=request.POST.get("outcome", ""),
                refusal_reason=request.POST.get("refusal_reason", ""),
            )
        except ActionError as exc:
            error = exc
        else:
            messages.success(request, "Request closed." if req.is_closed else "Request saved.")
            return redirect("privacy_request", req.pk)
    return render(
        request,
        "privacy/request.html",
        {
            "req": req,
            # An erasure request whose lead was moved to the trash: it can still be carried out.
            "trashed": selectors.trashed_lead_of_request(req)
            if req.kind == "erasure" and not req.is_closed
            else None,
            "form": request.POST if error else None,
            "overdue": req.is_overdue(),
            "error": error,
            "refusal": refusal_text(HANDLING_LABELS, error) if error else "",
            "statuses": RequestStatus.choices,
        },
        status=(409 if error.status_code == 409 else 400) if error else 200,
    )
