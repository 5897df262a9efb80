"""Pages: the public notice of an organisation, the acceptance page members are sent to, the
admins' pages to draft and publish versions, and the admins' data requests register."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Organisation, Role
from leadtracker.lib.errors import ActionError
from leadtracker.privacy import actions, erasure, selectors
from leadtracker.privacy.middleware import forget
from leadtracker.privacy.models import (
    DataRequest,
    LegalBasis,
    PrivacyNotice,
    RequestChannel,
    RequestKind,
    RequestStatus,
)

BLANK_ROWS = 2  # empty item rows under a draft's items, to add new ones without script


def public_notice(request, org_slug):
    org = Organisation.objects.filter(slug=org_slug).first()
    if org is None:
        raise Http404
    current = selectors.effective_notice(org.pk)
    upcoming = (
        PrivacyNotice.objects.filter(
            organisation_id=org.pk, published_at__isnull=False, effective_at__gt=timezone.now()
        )
        .order_by("effective_at")
        .first()
    )
    return render(
        request,
        "privacy/public.html",
        {"organisation": org, "notice": current, "upcoming": upcoming, "bases": dict(LegalBasis.choices)},
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@member_required()
def accept(request):
    pending = selectors.pending_notice(request.membership)
    if pending is None:
        forget(request)
        return redirect(_next(request))
    if request.method == "POST":
        if str(pending.pk) != request.POST.get("notice"):
            # A newer version took effect while the page was open: show that one.
            messages.warning(request, "The notice has changed since you opened it; please read this version.")
        else:
            actions.accept_notice(request.membership, pending, actor=Actor.from_request(request))
            forget(request)
            messages.success(
                request, f"Thank you: you accepted version {pending.version} of the privacy notice."
            )
            return redirect(_next(request))
    return render(
        request,
        "privacy/accept.html",
        {"notice": pending, "next": _next(request), "bases": dict(LegalBasis.choices)},
    )


@member_required(Role.ADMIN)
def notices(request):
    org = request.org
    if request.method == "POST":
        draft = actions.create_draft(org, actor=Actor.from_request(request))
        messages.success(request, "New draft started.")
        return redirect("privacy_notice", draft.pk)
    rows = list(selectors.notices(org.pk).annotate(accepted=Count("acceptances")))
    return render(
        request,
        "privacy/notices.html",
        {"rows": rows, "current": selectors.effective_notice(org.pk), "now": timezone.now()},
    )


def _own_notice(request, notice_id) -> PrivacyNotice:
    try:
        return selectors.notice(request.org.pk, notice_id)
    except PrivacyNotice.DoesNotExist:
        raise Http404 from None


def _items_from_post(post) -> list[dict]:
    fields = ("data", "purpose", "legal_basis", "retention")
    columns = [post.getlist(f) for f in fields]
    rows = []
    for values in zip(*columns, strict=False):
        row = dict(zip(fields, values, strict=True))
        # A row with nothing typed in it is one of the spare rows, not an item.
        if any(row[f].strip() for f in ("data", "purpose", "retention")):
            rows.append(row)
    return rows


def _date_start(org, value: str, field: str):
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ActionError("not a date (YYYY-MM-DD)", field=field) from None
    start = dt.datetime.combine(day, dt.time.min, tzinfo=org.tzinfo)
    # Today means "now": the start of today has passed already.
    return max(start, timezone.now()) if day == timezone.localdate(timezone=org.tzinfo) else start


@member_required(Role.ADMIN)
def notice_detail(request, notice_id):
    notice = _own_notice(request, notice_id)
    error = None
    items = notice.items
    if request.method == "POST":
        if notice.is_published:
            messages.error(request, actions.FROZEN)
            return redirect("privacy_notice", notice.pk)
        items = _items_from_post(request.POST)
        try:
            notice = actions.update_draft(
                notice,
                actor=Actor.from_request(request),
                title=request.POST.get("title", ""),
                introduction=request.POST.get("introduction", ""),
                items=items,
                effective_at=_date_start(
                    request.org, request.POST.get("effective_date", ""), "effective_date"
                ),
            )
        except ActionError as exc:
            error = exc
        else:
            messages.success(request, "Draft saved.")
            return redirect("privacy_notice", notice.pk)
    return render(
        request,
        "privacy/notice.html",
        {
            "notice": notice,
            "items": items,
            "blank_rows": range(BLANK_ROWS),
            "error": error,
            "bases": LegalBasis.choices,
            "base_names": dict(LegalBasis.choices),
            "today": timezone.localdate(timezone=request.org.tzinfo).isoformat(),
        },
        status=400 if error else 200,
    )


@require_POST
@member_required(Role.ADMIN)
def delete_draft(request, notice_id):
    notice = _own_notice(request, notice_id)
    try:
        actions.delete_draft(notice, actor=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("privacy_notice", notice.pk)
    messages.success(request, "Draft deleted.")
    return redirect("privacy_notices")


@require_POST
@member_required(Role.ADMIN)
def publish(request, notice_id):
    notice = _own_notice(request, notice_id)
    try:
        when = _date_start(request.org, request.POST.get("effective_date", ""), "effective_date")
        notice = actions.publish_notice(notice, actor=Actor.from_request(request), effective_at=when)
    except ActionError as exc:
        messages.error(request, f"{exc.field.replace('_', ' ')}: {exc.message}" if exc.field else exc.message)
        return redirect("privacy_notice", notice.pk)
    forget(request)
    messages.success(request, f"Version {notice.version} published.")
    return redirect("privacy_notices")


# --- Data requests register ----------------------------------------------------------------


def _error_text(exc: ActionError) -> str:
    return f"{exc.field.replace('_', ' ')}: {exc.message}" if exc.field else exc.message


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
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "Request period saved: it applies to requests registered from now on.")
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


@member_required(Role.ADMIN)
def retention_settings(request):
    from leadtracker.privacy import retention

    org = request.org
    limits = retention.bounds()
    if request.method == "POST":
        raw = {field: request.POST.get(field, "").strip() for field in limits}
        changes = {field: int(value) if value.isdigit() else value for field, value in raw.items()}
        try:
            retention.set_retention_periods(org, changes, actor=Actor.from_request(request))
        except ActionError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "Retention periods saved: the next nightly purge applies them.")
            return redirect("privacy_retention")
    periods = retention.periods_of(org)
    rows = [
        {"field": f, "label": retention.LABELS[f], "days": periods[f], "low": low, "high": high}
        for f, (low, high) in limits.items()
    ]
    return render(request, "privacy/retention.html", {"rows": rows, "audit_days": periods["audit_days"]})


def _received_at(org, value: str):
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ActionError("not a date (YYYY-MM-DD)", field="received_on") from None
    if day == timezone.localdate(timezone=org.tzinfo):
        return None  # today: now, so the request is due at this hour, not at last midnight
    if day > timezone.localdate(timezone=org.tzinfo):
        raise ActionError("cannot be in the future", field="received_on")
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
            messages.success(request, f"Request #{created.pk} registered; due {created.due_at:%d %b %Y}.")
            return redirect("privacy_request", created.pk)
    return render(
        request,
        "privacy/request_new.html",
        {
            "form": form,
            "error": error,
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
            "trashed": erasure.trashed_lead_of_request(req)
            if req.kind == "erasure" and not req.is_closed
            else None,
            "form": request.POST if error else None,
            "overdue": req.is_overdue(),
            "error": error,
            "statuses": RequestStatus.choices,
        },
        status=(409 if error.status_code == 409 else 400) if error else 200,
    )
