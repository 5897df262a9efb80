"""Each organisation's digest hour: the daily digest goes out after the organisation's own hour
in its own time zone; an empty hour sends none; a new organisation starts at DIGEST_HOUR."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone

from leadtracker.accounts.models import Organisation
from leadtracker.reports import digest
from leadtracker.testing import clocks, make_org

KOLKATA, NEW_YORK = ZoneInfo("Asia/Kolkata"), ZoneInfo("America/New_York")


def at(day: dt.date, hour: int, minute: int, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), zone)


def recipients_by_org() -> dict[str, int]:
    out: dict[str, int] = {}
    for message in mail.outbox:
        org = message.to[0].split("@")[1]
        out[org] = out.get(org, 0) + 1
    return out


def set_hour(people, hour, zone=None):
    changes = {"digest_hour": hour} | ({"time_zone": zone} if zone else {})
    Organisation.objects.filter(pk=people.org.pk).update(**changes)


def test_two_organisations_get_their_digest_at_their_own_hour(acme, globex):
    set_hour(acme, 7)  # Asia/Kolkata
    set_hour(globex, 18, "America/New_York")
    day = timezone.now().astimezone(KOLKATA).date() + dt.timedelta(days=2)
    # 03:00 in Kolkata is the afternoon before in New York: before both hours.
    assert digest.send_due(now=at(day, 3, 0, KOLKATA)) == 0
    # New York's 18:00 comes first (04:30 or 03:30 the next morning in Kolkata): Globex's only.
    assert digest.send_due(now=at(day - dt.timedelta(days=1), 18, 0, NEW_YORK)) == 5
    assert recipients_by_org() == {"globex.test": 5}
    assert digest.send_due(now=at(day, 6, 59, KOLKATA)) == 0
    assert digest.send_due(now=at(day, 7, 0, KOLKATA)) == 5
    assert recipients_by_org() == {"acme.test": 5, "globex.test": 5}
    # New York's next day: nothing before its hour, Globex's digest after it, Acme's not again
    # (it is the small hours of Acme's next day).
    assert digest.send_due(now=at(day, 17, 59, NEW_YORK)) == 0
    assert digest.send_due(now=at(day, 18, 0, NEW_YORK)) == 5
    assert recipients_by_org() == {"acme.test": 5, "globex.test": 10}
    assert digest.send_due(now=at(day, 19, 59, NEW_YORK)) == 0  # 06:29 or 05:29 in Kolkata


@clocks()
def test_an_hour_of_midnight_and_of_the_last_hour(frozen_at, acme, globex):
    set_hour(acme, 0)
    set_hour(globex, 23)
    day = timezone.now().astimezone(KOLKATA).date() + dt.timedelta(days=2)
    assert digest.send_due(now=at(day, 0, 0, KOLKATA)) == 5
    assert digest.send_due(now=at(day, 22, 59, KOLKATA)) == 0
    assert digest.send_due(now=at(day, 23, 0, KOLKATA)) == 5
    assert recipients_by_org() == {"acme.test": 5, "globex.test": 5}


def test_no_hour_no_digest(acme, globex):
    set_hour(acme, None)
    set_hour(globex, 8)
    day = timezone.now().astimezone(KOLKATA).date() + dt.timedelta(days=2)
    assert digest.send_due(now=at(day, 23, 59, KOLKATA)) == 5
    assert recipients_by_org() == {"globex.test": 5}
    # Switched on again late in the day: that day's digest still goes out, once.
    set_hour(acme, 9)
    assert digest.send_due(now=at(day, 23, 59, KOLKATA)) == 5
    assert recipients_by_org() == {"acme.test": 5, "globex.test": 5}


def test_a_new_organisation_starts_at_the_servers_digest_hour(db, settings):
    settings.DIGEST_HOUR = 6
    assert make_org("initech").org.digest_hour == 6
    settings.DIGEST_HOUR = 20
    assert make_org("hooli").org.digest_hour == 20
    assert Organisation.objects.get(slug="initech").digest_hour == 6
