"""The summary's median wait to call back is the median of every wait in the range's person-days
for the people in scope, as statistics.median gives it, rounded: the middle wait, or the mean of
the middle two with a half rounded to even — on either database, for people (their person-days'
lists) and for the whole organisation (all its person-days' lists). The
person-days are written directly: this is about the reading; the upkeep that fills the lists
has tests of its own."""

import datetime as dt
import random
import statistics

from leadtracker.reports import selectors
from leadtracker.reports.models import UserDay
from leadtracker.reports.selectors import Range

DAY = dt.date(2026, 3, 10)


def put(acme, member, day, waits):
    UserDay.objects.create(
        organisation=acme.org,
        user=member.user,
        day=day,
        missed_returned=len(waits),
        return_seconds=sorted(waits),
    )


def median_wait(acme, first, last, members=None):
    ids = None if members is None else sorted(m.user_id for m in members)
    return selectors.summary(acme.org, Range(first, last), ids)["median_seconds_to_return"]


def test_the_middle_two_are_averaged_and_a_half_rounds_to_even(acme):
    put(acme, acme.alice, DAY, [61, 60])
    put(acme, acme.bob, DAY, [62])
    put(acme, acme.alice, DAY + dt.timedelta(days=1), [62, 61])
    put(acme, acme.bob, DAY + dt.timedelta(days=1), [])
    one = DAY + dt.timedelta(days=1)
    assert median_wait(acme, DAY, DAY, [acme.alice]) == 60  # 60.5
    assert median_wait(acme, one, one, [acme.alice]) == 62  # 61.5
    assert median_wait(acme, DAY, DAY) == 61  # 60, 61, 62: the middle one
    assert median_wait(acme, DAY, one) == 61  # 60, 61, 61, 62, 62
    assert median_wait(acme, one, one, [acme.bob]) is None  # a day with no wait
    assert median_wait(acme, DAY - dt.timedelta(days=9), DAY - dt.timedelta(days=1)) is None  # no day


def test_the_median_of_random_lists_over_random_ranges_and_people(acme):
    rng = random.Random(21)
    people = [acme.alice, acme.bob, acme.maya, acme.mani]
    waits = {}
    for n in range(8):
        for member in people:
            if rng.random() < 0.8:
                drawn = [
                    rng.choice([rng.randint(60, 120), rng.randint(1, 30000)])
                    for _ in range(rng.randint(0, 9))
                ]
                waits[(member.user_id, DAY + dt.timedelta(days=n))] = drawn
                put(acme, member, DAY + dt.timedelta(days=n), drawn)
    for _ in range(30):
        first = DAY + dt.timedelta(days=rng.randint(-2, 7))
        last = first + dt.timedelta(days=rng.randint(0, 6))
        members = None if rng.random() < 0.3 else rng.sample(people, rng.randint(1, len(people)))
        ids = {m.user_id for m in people if members is None or m in members}
        every = [w for (user, day), ws in waits.items() if user in ids and first <= day <= last for w in ws]
        expected = round(statistics.median(every)) if every else None
        assert median_wait(acme, first, last, members) == expected, (first, last, ids)


def test_the_organisation_median_follows_person_days_changed_and_deleted(acme):
    # The whole organisation's median follows a person-day's waits rewritten, moved to another
    # day, or the row deleted.
    put(acme, acme.alice, DAY, [10, 400, 900])
    put(acme, acme.bob, DAY, [299, 300, 301])
    assert median_wait(acme, DAY, DAY) == 300  # 10, 299, 300, 301, 400, 900: 300.5, to even
    UserDay.objects.filter(user=acme.alice.user).update(return_seconds=[5000, 6000, 7000])
    assert median_wait(acme, DAY, DAY) == 2650  # 299, 300, 301, 5000, 6000, 7000: 2650.5
    UserDay.objects.filter(user=acme.bob.user).update(day=DAY + dt.timedelta(days=1))
    assert median_wait(acme, DAY, DAY) == 6000
    assert median_wait(acme, DAY, DAY + dt.timedelta(days=1)) == 2650
    UserDay.objects.filter(user=acme.alice.user).delete()
    assert median_wait(acme, DAY, DAY + dt.timedelta(days=1)) == 300
    assert median_wait(acme, DAY, DAY) is None
