"""Retention: how long each kind of data is kept, and the purge that removes what has expired.

The actions of retention (the purge and setting the periods) live here rather than in
actions.py because they act on every app's rows; privacy sits at the top of the layering, so
it may import them all.

One source of truth per period:
- call records, shift locations, usage counters, import files: ``PrivacySettings`` (defaults
  on the model when an organisation has no row);
- the audit log: ``Organisation.audit_retention_days`` (accounts owns it and its settings
  form), read here with a floor of AUDIT_MIN_DAYS — a shorter setting is stretched, not obeyed;
- the integrations' payload log: PAYLOAD_DAYS (7) for everyone (integrations/models.py);
- finished background tasks: TASK_RESULT_DAYS for everyone, as django-tasks-db's rows carry
  no organisation.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts import audit
from leadtracker.accounts.models import AuditEvent, Organisation
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, UsageDay
from leadtracker.integrations.models import PAYLOAD_DAYS, Payload
from leadtracker.leads.imports.jobs import FILE_RETENTION, remove_files
from leadtracker.leads.models import ImportJob, ImportState
from leadtracker.lib.errors import ActionError
from leadtracker.privacy.export.files import expire_exports, expired_exports
from leadtracker.privacy.models import LegalHold, PrivacySettings

AUDIT_MIN_DAYS = 365
TASK_RESULT_DAYS = 30


def _usage_max() -> int:
    # calls.purge_usage still deletes after USAGE_RETENTION_DAYS for everyone, so a longer
    # period here would be a promise the server breaks.
    return settings.USAGE_RETENTION_DAYS


def _import_max() -> int:
    # leads' own job deletes import files after FILE_RETENTION: an organisation may only shorten it.
    return FILE_RETENTION.days


# field -> (minimum, maximum); a callable maximum is read when used (it follows settings).
BOUNDS = {
    "call_record_days": (30, 3650),
    "shift_location_days": (7, 3650),
    "usage_days": (1, _usage_max),
    "import_file_days": (1, _import_max),
    # A download link for a file full of someone's data: days, not months.
    "export_days": (1, 30),
}

LABELS = {
    "call_record_days": gettext_lazy("Call records"),
    "shift_location_days": gettext_lazy("Shift locations"),
    "usage_days": gettext_lazy("Usage counters"),
    "import_file_days": gettext_lazy("Uploaded import files"),
    "export_days": gettext_lazy("Access export files"),
}


def bounds() -> dict[str, tuple[int, int]]:
    """Each period's (minimum, maximum) in days as this server allows them now."""
    return {field: (low, high() if callable(high) else high) for field, (low, high) in BOUNDS.items()}


KINDS = (
    "calls",
    "call_backs",
    "shift_locations",
    "usage",
    "import_files",
    "audit_events",
    "exports",
    "task_results",
)


def periods_of(org) -> dict[str, int]:
    row = PrivacySettings.objects.filter(organisation=org).first() or PrivacySettings(organisation=org)
    periods = {field: getattr(row, field) for field in BOUNDS}
    # Defaults on the model may exceed a ceiling set lower on this server.
    periods["usage_days"] = min(periods["usage_days"], _usage_max())
    periods["import_file_days"] = min(periods["import_file_days"], _import_max())
    periods["audit_days"] = max(org.audit_retention_days, AUDIT_MIN_DAYS)
    return periods


def set_retention_periods(org, changes: dict, *, actor: audit.Actor) -> PrivacySettings:
    limits = bounds()
    for field, days in changes.items():
        if field not in limits:
            raise ActionError(_("not a retention period"), field=field)
        low, high = limits[field]
        if not isinstance(days, int) or isinstance(days, bool) or not low <= days <= high:
            raise ActionError(
                _("a whole number of days from %(low)s to %(high)s") % {"low": low, "high": high}, field=field
            )
    row, _created = PrivacySettings.objects.update_or_create(organisation=org, defaults=changes)
    audit.record("privacy_settings.updated", organisation=org, actor=actor, obj=row, changes=changes)
    return row


def _held(org):
    """Leads and users under an unreleased legal hold; their calls and locations stay."""
    holds = LegalHold.objects.filter(organisation=org, released_at__isnull=True)
    lead_ids = list(holds.filter(lead__isnull=False).values_list("lead_id", flat=True))
    user_ids = list(holds.filter(member__isnull=False).values_list("member__user_id", flat=True))
    return lead_ids, user_ids


def _expired_calls(org, now, periods, held_leads, held_users):
    cutoff = now - dt.timedelta(days=periods["call_record_days"])
    return (
        Call.objects.filter(organisation=org, started_at__lt=cutoff)
        .exclude(lead_id__in=held_leads)
        .exclude(user_id__in=held_users)
    )


def _located_shifts(org, now, periods, held_users):
    cutoff = now - dt.timedelta(days=periods["shift_location_days"])
    # Still-open shifts are kept whole: their end is not known, let alone expired.
    return (
        Shift.objects.filter(organisation=org, ended_at__lt=cutoff)
        .filter(
            Q(start_lat__isnull=False)
            | Q(start_lon__isnull=False)
            | Q(start_accuracy_m__isnull=False)
            | Q(end_lat__isnull=False)
            | Q(end_lon__isnull=False)
            | Q(end_accuracy_m__isnull=False)
        )
        .exclude(user_id__in=held_users)
    )


def _old_imports(org, now, periods):
    cutoff = now - dt.timedelta(days=periods["import_file_days"])
    return (
        ImportJob.objects.filter(organisation=org, created_at__lt=cutoff)
        .exclude(stored_path="", error_report_path="")
        .exclude(state__in=[ImportState.QUEUED, ImportState.RUNNING])
    )


def purge_organisation(org, *, now=None, dry_run=False) -> dict[str, int]:
    """What expired in one organisation: counted, and unless ``dry_run`` removed."""
    now = now or timezone.now()
    periods = periods_of(org)
    held_leads, held_users = _held(org)

    calls = _expired_calls(org, now, periods, held_leads, held_users)
    # A call-back names the number and the lead: it goes with either of its calls.
    call_backs = CallBack.objects.filter(organisation=org).filter(
        Q(missed_call__in=calls.values("id")) | Q(closing_call__in=calls.values("id"))
    )
    shifts = _located_shifts(org, now, periods, held_users)
    usage_cutoff = UsageDay.day_of(now) - dt.timedelta(days=periods["usage_days"])
    usage = UsageDay.objects.filter(organisation=org, day__lt=usage_cutoff)
    imports = _old_imports(org, now, periods)
    # The integrations' payload log: a week, to see what came and replay what failed.
    payloads = Payload.objects.filter(
        organisation=org, received_at__lt=now - dt.timedelta(days=PAYLOAD_DAYS)
    ).exclude(lead_id__in=held_leads)
    audit_events = AuditEvent.objects.filter(
        organisation=org, at__lt=now - dt.timedelta(days=periods["audit_days"])
    )

    counts = {
        "calls": calls.count(),
        "call_backs": call_backs.count(),
        "shift_locations": shifts.count(),
        "usage": usage.count(),
        "import_files": imports.count(),
        "integration_payloads": payloads.count(),
        "audit_events": audit_events.count(),
        # Access exports past their PrivacySettings.export_days (a legal hold keeps the data,
        # not the copies made of it).
        "exports": expired_exports(org, now).count(),
    }
    if dry_run or not any(counts.values()):
        return counts

    with transaction.atomic():
        counts["call_backs"] = models_delete(call_backs)
        counts["calls"] = models_delete(calls)
        counts["shift_locations"] = shifts.update(
            start_lat=None,
            start_lon=None,
            start_accuracy_m=None,
            end_lat=None,
            end_lon=None,
            end_accuracy_m=None,
        )
        counts["usage"] = models_delete(usage)
        counts["integration_payloads"] = models_delete(payloads)
        counts["audit_events"] = audit_events.purge_expired(
            before=now - dt.timedelta(days=periods["audit_days"])
        )[0]
        jobs = list(imports)
        remove_files(jobs)
        counts["import_files"] = len(jobs)
        counts["exports"] = expire_exports(expired_exports(org, now))
        # Recorded after the audit purge so this event itself is never the one purged.
        audit.record(
            "retention.purged",
            organisation=org,
            actor=audit.Actor.system(),
            object_type="organisation",
            object_id=str(org.pk),
            changes={k: v for k, v in counts.items() if v},
        )
    return counts


def models_delete(queryset) -> int:
    """Rows of the queryset's own model deleted (not the cascade's extras)."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


def expired_task_results(now=None):
    now = now or timezone.now()
    return DBTaskResult.objects.finished().filter(finished_at__lt=now - dt.timedelta(days=TASK_RESULT_DAYS))


def purge(*, org_slug=None, now=None, dry_run=False) -> dict[str, dict[str, int]]:
    """Every organisation's expired data (or one's), keyed by slug; task results under "*"."""
    now = now or timezone.now()
    orgs = Organisation.objects.order_by("slug")
    if org_slug is not None:
        orgs = orgs.filter(slug=org_slug.strip().lower())
        if not orgs.exists():
            raise ActionError(_("no organisation %(slug)r") % {"slug": org_slug}, field="org")
    report = {org.slug: purge_organisation(org, now=now, dry_run=dry_run) for org in orgs}
    if org_slug is None:
        results = expired_task_results(now)
        report["*"] = {"task_results": results.count() if dry_run else models_delete(results)}
    return report
