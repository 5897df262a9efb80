"""Pages: the public notice of an organisation, the acceptance page members are sent to, and the
admins' pages to draft and publish versions."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Organisation, Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import refusal_text
from leadtracker.privacy import selectors
from leadtracker.privacy.middleware import forget
from leadtracker.privacy.models import (
    LegalBasis,
    PrivacyNotice,
)
from leadtracker.privacy.notices import actions

BLANK_ROWS = 2  # empty item rows under a draft's items, to add new ones without script

# A refusal names its field by the label the page shows (lib/web.refusal_text), not by the code's
# name for it ("effective_at"); "notice" (a published or deleted version) is no field: reason alone.
LABELS = {
    "title": gettext_lazy("Title"),
    "introduction": gettext_lazy("Introduction"),
    "effective_date": gettext_lazy("Takes effect on"),
    "effective_at": gettext_lazy("Takes effect on"),
    "items": gettext_lazy("Items"),
}
ITEM_LABELS = {
    "data": gettext_lazy("Personal data"),
    "purpose": gettext_lazy("Purpose"),
    "legal_basis": gettext_lazy("Legal basis"),
    "retention": gettext_lazy("Kept for"),
}


def _refusal(exc: ActionError) -> str:
    """The refusal as one line; an item's field ("items.2.purpose") as the page numbers it."""
    index, _dot, name = (exc.field or "").removeprefix("items.").partition(".")
    if (exc.field or "").startswith("items.") and index.isdigit() and name in ITEM_LABELS:
        label = _("Item %(n)s, %(field)s") % {"n": int(index) + 1, "field": ITEM_LABELS[name]}
        return refusal_text({exc.field: label}, exc)
    return refusal_text(LABELS, exc)


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
            messages.warning(
                request, _("The notice has changed since you opened it; please read this version.")
            )
        else:
            actions.accept_notice(request.membership, pending, actor=Actor.from_request(request))
            forget(request)
            messages.success(
                request,
                _("Thank you: you accepted version %(version)s of the privacy notice.")
                % {"version": pending.version},
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
        messages.success(request, _("New draft started."))
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
        raise ActionError(_("not a date (YYYY-MM-DD)"), field=field) from None
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
            messages.success(request, _("Draft saved."))
            return redirect("privacy_notice", notice.pk)
    return render(
        request,
        "privacy/notice.html",
        {
            "notice": notice,
            "items": items,
            "blank_rows": range(BLANK_ROWS),
            "error": error,
            "refusal": _refusal(error) if error else "",
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
    messages.success(request, _("Draft deleted."))
    return redirect("privacy_notices")


@require_POST
@member_required(Role.ADMIN)
def publish(request, notice_id):
    notice = _own_notice(request, notice_id)
    try:
        when = _date_start(request.org, request.POST.get("effective_date", ""), "effective_date")
        notice = actions.publish_notice(notice, actor=Actor.from_request(request), effective_at=when)
    except ActionError as exc:
        messages.error(request, _refusal(exc))
        return redirect("privacy_notice", notice.pk)
    forget(request)
    messages.success(request, _("Version %(version)s published.") % {"version": notice.version})
    return redirect("privacy_notices")
