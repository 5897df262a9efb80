"""Page: the retention periods of the organisation (admins)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import refusal_text
from leadtracker.privacy.retention import purge as retention


@member_required(Role.ADMIN)
def retention_settings(request):
    org = request.org
    limits = retention.bounds()
    if request.method == "POST":
        raw = {field: request.POST.get(field, "").strip() for field in limits}
        changes = {field: int(value) if value.isdigit() else value for field, value in raw.items()}
        try:
            retention.set_retention_periods(org, changes, actor=Actor.from_request(request))
        except ActionError as exc:
            # Named by the label its row shows ("Access export files"), not "export days".
            messages.error(request, refusal_text(retention.LABELS, exc))
        else:
            messages.success(request, _("Retention periods saved: the next nightly purge applies them."))
            return redirect("privacy_retention")
    periods = retention.periods_of(org)
    rows = [
        {"field": f, "label": retention.LABELS[f], "days": periods[f], "low": low, "high": high}
        for f, (low, high) in limits.items()
    ]
    return render(request, "privacy/retention.html", {"rows": rows, "audit_days": periods["audit_days"]})
