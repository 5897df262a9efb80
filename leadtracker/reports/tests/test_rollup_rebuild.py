"""`leadtracker rebuild-rollups`: recomputes the roll-ups from the raw rows, chunk by chunk with
progress, idempotent, one organisation or all, and never over days retention has purged."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance import actions as attendance
from leadtracker.reports.models import UserDay, UserHour
from leadtracker.reports.tests.direct import assert_rollups_match, rollup_days, rollup_hours
from leadtracker.testing import call, clocks, make_lead, open_shift, paired_client, send


def some_activity(people):
    make_lead(people, owner=people.alice)
    now = timezone.now().replace(microsecond=0)
    attendance.punch_in(people.bob, actor=Actor.system(), at=now - dt.timedelta(hours=20))
    attendance.punch_out(people.bob, actor=Actor.system(), at=now - dt.timedelta(hours=10))
    open_shift(people.alice, hours_ago=30)
    phone = paired_client(people.alice)
    send(
        phone,
        [
            call(1, type="missed", duration_s=0, minutes_ago=26 * 60),
            call(2, minutes_ago=25 * 60, duration_s=45),
            call(3, minutes_ago=60, duration_s=4, number="+919812345678"),
            call(4, minutes_ago=50, type="incoming", duration_s=0),
        ],
    )


def rebuild(*args) -> str:
    out = io.StringIO()
    call_command("rebuild_rollups", *args, stdout=out)
    return out.getvalue()


def test_rebuild_recomputes_what_the_upkeep_keeps_and_again_changes_nothing(acme, globex):
    some_activity(acme)
    some_activity(globex)
    kept_days, kept_hours = rollup_days(acme.org), rollup_hours(acme.org)
    globex_days = rollup_days(globex.org)
    assert len(kept_days) >= 3
    UserDay.objects.filter(organisation=acme.org).delete()
    UserHour.objects.filter(organisation=acme.org).update(calls=99)
    output = rebuild("--org", "acme", "--chunk-days", "100")
    assert rollup_days(acme.org) == kept_days and rollup_hours(acme.org) == kept_hours
    assert_rollups_match(acme.org)
    assert "100%" in output and f"rebuilt {len(kept_days)} person-days" in output
    assert rebuild("--org", "acme").count("acme:") > 1  # a week at a time
    assert rollup_days(acme.org) == kept_days and rollup_days(globex.org) == globex_days


@clocks("monday-00:05", "23:55", "month-end")
def test_from_limits_the_days_and_every_organisation_by_default(frozen_at, acme, globex):
    some_activity(acme)
    some_activity(globex)
    # The latest day with activity: today, or yesterday when today is minutes old.
    days = sorted(set(UserDay.objects.values_list("day", flat=True)))
    assert len(days) >= 2
    since = days[-1]
    UserDay.objects.update(talk_seconds=12345)
    rebuild("--from", since.isoformat())
    for people in (acme, globex):
        rows = dict(UserDay.objects.filter(organisation=people.org).values_list("day", "talk_seconds"))
        assert rows[since] != 12345
        assert {v for d, v in rows.items() if d < since} == {12345}
    rebuild("--org", "globex")
    assert_rollups_match(globex.org)


def test_the_console_script_spells_it_with_a_hyphen(monkeypatch, capsys):
    import django

    from leadtracker.cli import main

    # The console script's own function, in this process: --help ends while the arguments are
    # parsed, before the command runs (and closes the database connections as it ends). Django
    # is set up here already; set up again it would send the log to the captured stderr.
    monkeypatch.setattr(django, "setup", lambda *args, **kwargs: None)
    with pytest.raises(SystemExit) as exited:
        main(["leadtracker", "rebuild-rollups", "--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0 and "--from" in out and "--org" in out


def test_days_older_than_the_retention_period_keep_their_roll_ups(acme):
    today = timezone.now().astimezone(acme.org.tzinfo).date()
    purged_day = today - dt.timedelta(days=400)
    UserDay.objects.create(organisation=acme.org, user=acme.alice.user, day=purged_day, calls=17)
    output = rebuild("--org", "acme", "--from", "2020-01-01")
    assert "are purged" in output
    assert UserDay.objects.get(day=purged_day).calls == 17


def test_an_unknown_organisation_is_an_error_naming_the_option(acme):
    with pytest.raises(CommandError, match="--org: no organisation"):
        rebuild("--org", "nope")
    with pytest.raises(CommandError, match="--chunk-days"):
        rebuild("--chunk-days", "0")
