import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, UsageDay
from leadtracker.integrations.models import Connector, Payload
from leadtracker.leads.models import ImportJob, ImportState, Lead, LeadStatus
from leadtracker.lib.errors import ActionError
from leadtracker.privacy.models import LegalHold
from leadtracker.privacy.retention import purge as retention
from leadtracker.testing import clocks

NOW = timezone.now()


@pytest.fixture(autouse=True)
def _now():
    """The test's own "now", read when it starts (after the clock has moved, for a test that
    moves it), so a row "364 days old" is that old when the purge runs."""
    global NOW
    NOW = timezone.now()


def ago(days):
    return NOW - dt.timedelta(days=days)


def lead_of(org):
    return Lead.objects.create(
        organisation=org, name="L", status=LeadStatus.objects.filter(organisation=org).first()
    )


def call(member, days, lead=None, n=0):
    return Call.objects.create(
        organisation=member.organisation, user=member.user, lead=lead, number=f"+9198765432{n:02d}",
        type="missed", status="missed", direction="in", started_at=ago(days),
    )  # fmt: skip


def shift(member, days):
    return Shift.objects.create(
        organisation=member.organisation, user=member.user, started_at=ago(days), ended_at=ago(days),
        start_lat=12.9, start_lon=77.6, start_accuracy_m=10, end_lat=12.9, end_lon=77.6, end_accuracy_m=5,
    )  # fmt: skip


def import_job(member, days, tmp_path):
    path = tmp_path / f"upload-{member.organisation.slug}-{days}.csv"
    path.write_text("name\nx\n")
    return ImportJob.objects.create(
        organisation=member.organisation, created_by=member.user, created_at=ago(days), file_name="a.csv",
        stored_path=str(path), state=ImportState.DONE,
        first_issues=[{"kind": "error", "row": 2, "column": "name", "value": "x", "reason": "no number"}],
    )  # fmt: skip


def fill(org_people, tmp_path):
    """One row of each kind just past and one just inside its default period."""
    alice = org_people.alice
    org = org_people.org
    lead = lead_of(org)
    old_call, new_call = call(alice, 366, lead, 1), call(alice, 364, lead, 2)
    CallBack.objects.create(
        organisation=org, lead=lead, number=old_call.number, missed_call=old_call,
        missed_at=old_call.started_at, last_missed_at=old_call.started_at, closed_at=ago(365),
    )  # fmt: skip
    return {
        "calls": (old_call, new_call),
        "shifts": (shift(alice, 91), shift(alice, 89)),
        "usage": (
            UsageDay.objects.create(
                organisation=org, day=timezone.localdate(NOW) - dt.timedelta(days=181), event="x"
            ),
            UsageDay.objects.create(
                organisation=org, day=timezone.localdate(NOW) - dt.timedelta(days=179), event="x"
            ),
        ),
        "imports": (import_job(alice, 8, tmp_path), import_job(alice, 6, tmp_path)),
        "audit": (
            AuditEvent.objects.create(organisation=org, actor_kind="system", action="old", at=ago(731)),
            AuditEvent.objects.create(organisation=org, actor_kind="system", action="new", at=ago(729)),
        ),
        # The integrations' payload log: a week.
        "payloads": (payload(org, 8), payload(org, 6)),
    }


def payload(org, days):
    hook = Connector.objects.filter(organisation=org).first() or Connector.objects.create(
        organisation=org, kind="google-ads", name="Google Ads"
    )
    return Payload.objects.create(
        organisation=org, connector=hook, external_id=f"g{days}", received_at=ago(days)
    )


def located(shift_row):
    shift_row.refresh_from_db()
    return shift_row.start_lat is not None


@pytest.fixture
def rows(acme, globex, tmp_path):
    return fill(acme, tmp_path), fill(globex, tmp_path)


@clocks()
def test_each_kind_goes_after_its_period_and_stays_before(frozen_at, acme, rows):
    mine, _ = rows
    counts = retention.purge(org_slug="acme", now=NOW)["acme"]

    assert counts == {
        "calls": 1, "call_backs": 1, "shift_locations": 1, "usage": 1, "import_files": 1, "audit_events": 1,
        "exports": 0, "integration_payloads": 1,
    }  # fmt: skip
    old_call, new_call = mine["calls"]
    assert not Call.objects.filter(pk=old_call.pk).exists() and Call.objects.filter(pk=new_call.pk).exists()
    assert not CallBack.objects.filter(organisation=acme.org).exists()
    old_shift, new_shift = mine["shifts"]
    assert not located(old_shift) and located(new_shift)
    old_shift.refresh_from_db()
    assert old_shift.started_at and old_shift.ended_at and old_shift.end_accuracy_m is None
    assert [u.pk for u in UsageDay.objects.filter(organisation=acme.org)] == [mine["usage"][1].pk]
    old_job, new_job = mine["imports"]
    old_path = old_job.stored_path
    old_job.refresh_from_db()
    new_job.refresh_from_db()
    assert old_job.stored_path == "" and not __import__("os").path.exists(old_path)
    assert new_job.stored_path and __import__("os").path.exists(new_job.stored_path)
    # The result page's first issues quote the file's cells: they go with the file.
    assert old_job.first_issues == [] and new_job.first_issues
    assert not AuditEvent.objects.filter(pk=mine["audit"][0].pk).exists()
    assert AuditEvent.objects.filter(pk=mine["audit"][1].pk).exists()
    assert list(Payload.objects.filter(organisation=acme.org)) == [mine["payloads"][1]]
    event = AuditEvent.objects.get(organisation=acme.org, action="retention.purged")
    assert event.changes["calls"] == 1


def test_other_organisations_are_untouched(acme, globex, rows):
    _, theirs = rows
    retention.purge(org_slug="acme", now=NOW)
    assert Call.objects.filter(organisation=globex.org).count() == 2
    assert located(theirs["shifts"][0])
    assert UsageDay.objects.filter(organisation=globex.org).count() == 2
    assert AuditEvent.objects.filter(pk=theirs["audit"][0].pk).exists()


def test_dry_run_changes_nothing_and_reports_counts(acme, rows):
    before = (
        Call.objects.count(),
        CallBack.objects.count(),
        UsageDay.objects.count(),
        AuditEvent.objects.count(),
    )
    report = retention.purge(dry_run=True, now=NOW)
    assert report["acme"] == report["globex"] == {
        "calls": 1, "call_backs": 1, "shift_locations": 1, "usage": 1, "import_files": 1, "audit_events": 1,
        "exports": 0, "integration_payloads": 1,
    }  # fmt: skip
    assert (
        Call.objects.count(),
        CallBack.objects.count(),
        UsageDay.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    assert located(rows[0]["shifts"][0])
    assert rows[0]["imports"][0].stored_path == ImportJob.objects.get(pk=rows[0]["imports"][0].pk).stored_path


def test_organisation_periods_are_used(acme, rows):
    retention.set_retention_periods(
        acme.org, {"call_record_days": 30, "shift_location_days": 7}, actor=Actor.system()
    )
    counts = retention.purge(org_slug="acme", now=NOW, dry_run=True)["acme"]
    assert counts["calls"] == 2 and counts["shift_locations"] == 2


def test_periods_have_bounds(acme):
    for field, days in [("call_record_days", 29), ("shift_location_days", 3651), ("usage_days", 10_000),
                        ("import_file_days", 0), ("usage_days", True), ("nope", 10)]:  # fmt: skip
        with pytest.raises(ActionError) as err:
            retention.set_retention_periods(acme.org, {field: days}, actor=Actor.system())
        assert err.value.field == field


def test_audit_log_kept_at_least_a_year_whatever_the_setting(acme):
    acme.org.audit_retention_days = 30
    acme.org.save(update_fields=["audit_retention_days"])
    AuditEvent.objects.create(organisation=acme.org, actor_kind="system", action="x", at=ago(300))
    assert retention.purge(org_slug="acme", now=NOW, dry_run=True)["acme"]["audit_events"] == 0
    AuditEvent.objects.create(organisation=acme.org, actor_kind="system", action="x", at=ago(366))
    assert retention.purge(org_slug="acme", now=NOW, dry_run=True)["acme"]["audit_events"] == 1


def test_legal_holds_keep_calls_and_locations_until_released(acme, rows):
    mine, _ = rows
    hold = LegalHold.objects.create(organisation=acme.org, member=acme.alice, reason="dispute")
    counts = retention.purge(org_slug="acme", now=NOW)["acme"]
    assert counts["calls"] == 0 and counts["shift_locations"] == 0 and counts["call_backs"] == 0
    assert located(mine["shifts"][0])
    hold.released_at = NOW
    hold.save()
    LegalHold.objects.create(organisation=acme.org, lead=mine["calls"][0].lead, reason="claim")
    counts = retention.purge(org_slug="acme", now=NOW)["acme"]
    assert counts["calls"] == 0 and counts["shift_locations"] == 1


def test_finished_task_results_go_after_their_period(db):
    def result(status, days):
        row = DBTaskResult.objects.create(
            status=status, args_kwargs={}, task_path="x.y", finished_at=ago(days)
        )
        return row.pk

    old, new, ready = result("SUCCESSFUL", 31), result("FAILED", 29), result("READY", 400)
    assert retention.purge(now=NOW)["*"] == {"task_results": 1}
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {new, ready}
    assert old not in set(DBTaskResult.objects.values_list("pk", flat=True))


def test_command_prints_per_organisation_and_kind(acme, rows):
    out = StringIO()
    call_command("purge", "--org", "acme", "--dry-run", stdout=out)
    text = out.getvalue()
    assert text.startswith("acme:\n") and "  calls: 1 would go\n" in text and "globex" not in text
    assert Call.objects.filter(organisation=acme.org).count() == 2

    out = StringIO()
    call_command("purge", stdout=out)
    text = out.getvalue()
    assert "acme:\n" in text and "globex:\n" in text and "  audit_events: 1 went\n" in text
    assert "all organisations:\n  task_results: 0 went\n" in text


def test_command_names_an_unknown_organisation(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--org"):
        call_command("purge", "--org", "nope", stdout=StringIO())
