"""The daily digest: each manager's people yesterday, e-mailed once a day after the
organisation's digest hour in its time zone, by the worker."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from leadtracker.accounts.models import Organisation, PeriodicJobRun
from leadtracker.reports import digest
from leadtracker.reports.tests.busy_day import busy_day
from leadtracker.testing import clocks

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), IST)


@pytest.fixture
def today(acme):
    return timezone.now().astimezone(acme.org.tzinfo).date()


def by_recipient():
    return {m.to[0]: m for m in mail.outbox}


@clocks()
def test_not_before_the_hour_then_once_per_manager_per_day(frozen_at, acme, globex, today):
    Organisation.objects.update(digest_hour=8)
    tomorrow = today + dt.timedelta(days=1)
    assert digest.send_due(now=at(tomorrow, 7, 59)) == 0
    assert digest.send_due(now=at(tomorrow, 8, 0)) == 10
    # Owner, admin and the three managers of each organisation; agents get none.
    assert sorted(by_recipient()) == sorted(
        f"{key}@{slug}.test"
        for slug in ("acme", "globex")
        for key in ("olga", "adam", "maya", "mani", "mark")
    )
    # Another worker, a restarted one, later the same day: nobody gets a second.
    assert digest.send_due(now=at(tomorrow, 8, 15)) == 0
    assert digest.send_due(now=at(tomorrow, 23, 59)) == 0
    assert len(mail.outbox) == 10
    assert digest.send_due(now=at(tomorrow + dt.timedelta(days=1), 8, 5)) == 10


def test_the_hour_is_the_organisations_own(acme, globex, today):
    Organisation.objects.update(digest_hour=8)
    Organisation.objects.filter(pk=globex.org.pk).update(time_zone="Europe/London")
    tomorrow = today + dt.timedelta(days=1)
    # 08:00 in India is 02:30 in London (03:30 in summer): only Acme's go out.
    assert digest.send_due(now=at(tomorrow, 8, 0)) == 5
    assert {m.to[0].split("@")[1] for m in mail.outbox} == {"acme.test"}
    london_eight = dt.datetime.combine(tomorrow, dt.time(8, 0), ZoneInfo("Europe/London"))
    assert digest.send_due(now=london_eight) == 5


@clocks("monday-00:05", "23:55", "31-december")
def test_a_manager_reads_their_teams_yesterday(frozen_at, acme, today):
    Organisation.objects.update(digest_hour=8)
    busy_day(acme)  # today; the digest is sent tomorrow morning
    digest.send_due(now=at(today + dt.timedelta(days=1), 8, 30))
    maya = by_recipient()["maya@acme.test"]
    assert maya.subject == f"Acme: calls on {today:%a %-d %b}"
    text = maya.body
    assert "Your team, yesterday" in text
    assert "Calls:              5" in text  # Alice 3 and Bob 2; Carl is Mark's
    assert "Connected rate:     80%" in text
    assert "Talk time:          8m" in text  # 180 + 240 + 5 + 95 s
    assert "Alice Acme — 3 calls, 2 conversations, 7m talk" in text
    assert "Carl" not in text
    assert "Follow-ups overdue:                  1" in text
    html, kind = maya.alternatives[0]
    assert kind == "text/html" and "<li>Alice Acme — 3 calls" in html and "Carl" not in html
    olga = by_recipient()["olga@acme.test"].body
    assert "The whole organisation, yesterday" in olga and "Calls:              6" in olga
    assert "Missed calls waiting to be returned: 1" in olga  # Carl's, not returned yet


@clocks()
def test_gaming_flags_are_explained(frozen_at, acme, today):
    from leadtracker.reports.tests.busy_day import calls_for, minutes_into_today
    from leadtracker.testing import open_shift, paired_client, send

    Organisation.objects.update(digest_hour=8)
    open_shift(acme.bob, hours_ago=9)
    room = max(1, min(20, minutes_into_today(acme.org) // 4))
    specs = [("+919876599999", "outgoing", 0)] * 9
    assert send(paired_client(acme.bob), calls_for(800, specs, latest_minutes_ago=room)).status_code == 200
    digest.send_due(now=at(today + dt.timedelta(days=1), 9))
    text = by_recipient()["mani@acme.test"].body
    assert (
        "Worth a look:\n  Bob Acme: Same number again and again (8 or more outgoing calls to one number"
        in text
    )


def test_a_failed_send_is_tried_again(acme, today, monkeypatch):
    Organisation.objects.update(digest_hour=8)
    tomorrow = today + dt.timedelta(days=1)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        digest.send_due(now=at(tomorrow, 8))
    assert (
        not PeriodicJobRun.objects.filter(name__startswith="reports.digest.")
        .exclude(last_run_at=digest.NEVER)
        .exists()
    )
    monkeypatch.undo()
    assert digest.send_due(now=at(tomorrow, 8, 15)) == 5


def test_the_worker_job_sends_them(acme):
    from leadtracker.lib.periodic import REGISTRY
    from leadtracker.reports.tasks import send_daily_digests

    Organisation.objects.update(digest_hour=0)  # whatever the hour the test runs at
    assert "leadtracker.reports.tasks.send_daily_digests" in REGISTRY
    assert send_daily_digests.call() == 5
    assert send_daily_digests.call() == 0
    assert len(mail.outbox) == 5
