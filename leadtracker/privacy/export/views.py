"""Pages for access exports: prepare one (from a data request, or for any lead or member),
watch the worker build it, download it until it expires. Admins and owners only."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import refusal_text
from leadtracker.privacy import selectors
from leadtracker.privacy.export import actions as export
from leadtracker.privacy.export.files import is_expired
from leadtracker.privacy.requests import actions

LIST_LIMIT = 100
# A refusal names its field by the label the page shows (lib/web.refusal_text), not its code name;
# "subject" (none or two of the three given) is no one field: its reason says what to do.
LABELS = {
    "phone": gettext_lazy("Lead's phone number"),
    "email": gettext_lazy("Lead's e-mail"),
    "member_id": gettext_lazy("Member"),
}


def _get(request, export_id):
    found = selectors.access_export(request.org.pk, export_id)
    if found is None:
        raise Http404
    return found


@member_required(Role.ADMIN)
def exports(request):
    """The organisation's exports; the form prepares one for a lead (by number or e-mail) or
    a member, without a data request (an admin answering a request made another way)."""
    error = None
    if request.method == "POST":
        member_id = request.POST.get("member_id", "").strip()
        try:
            if member_id and not member_id.isdigit():
                raise ActionError(_("choose a member from the list"), field="member_id")
            lead, member = actions.find_subject(
                request.org,
                member_id=int(member_id) if member_id.isdigit() else None,
                phone=request.POST.get("phone", "").strip() or None,
                email=request.POST.get("email", "").strip() or None,
            )
            created = export.request_export(
                request.org, actor=Actor.from_request(request), lead=lead, member=member
            )
        except ActionError as exc:
            if exc.status_code == 404:
                raise Http404 from None
            error = exc
        else:
            messages.success(request, _("Export #%(number)s is being prepared.") % {"number": created.pk})
            return redirect("privacy_export", created.pk)
    return render(
        request,
        "privacy/exports.html",
        {
            "exports": selectors.access_exports(request.org.pk)[:LIST_LIMIT],
            "members": selectors.members(request.org.pk),
            "form": request.POST if error else None,
            "error": error,
            "refusal": refusal_text(LABELS, error) if error else "",
        },
        status=400 if error else 200,
    )


@require_POST
@member_required(Role.ADMIN)
def export_for_request(request, request_id):
    """The "Prepare export" button of a data request page: an export of the request's person."""
    req = selectors.data_request_or_none(request.org.pk, request_id)
    if req is None:
        raise Http404
    try:
        created = export.request_export(request.org, actor=Actor.from_request(request), data_request=req)
    except ActionError as exc:
        messages.error(request, exc.message)  # a button, no field: its code name helps nobody
        return redirect("privacy_request", req.pk)
    messages.success(request, _("Export #%(number)s is being prepared.") % {"number": created.pk})
    return redirect("privacy_export", created.pk)


@member_required(Role.ADMIN)
def export_detail(request, export_id):
    x = _get(request, export_id)
    context = {"x": x, "expired": is_expired(x)}
    if request.headers.get("HX-Request"):
        return render(request, "privacy/export_progress.html", context)
    return render(request, "privacy/export.html", context)


@member_required(Role.ADMIN)
def export_download(request, export_id):
    x = _get(request, export_id)
    try:
        path = export.record_download(x, actor=Actor.from_request(request))
    except ActionError as exc:
        return render(
            request,
            "privacy/export.html",
            {"x": x, "expired": is_expired(x), "error": exc},
            status=exc.status_code,
        )
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 — FileResponse closes it
        as_attachment=True,
        filename=f"access-export-{x.pk}.zip",
        content_type="application/zip",
    )
