"""The sync's last two roll-up paths that recounted a person's whole day are added too (issue 21,
item 5): a batch that absorbs a call the outcome sheet logged (the logged call taken off its day
and hour) and a lead made for a number whose calls were no lead's (those calls' days gain a lead
called). Each batch costs the same as the day's first whether it is early or late in a day of
1,000 calls — the same statements, no more rows read (PostgreSQL: tuples; SQLite: VM steps) —
and the roll-ups equal a direct count from the rows afterwards. The day-recounting code these
replace read ~1,000 calls more in the late batch (the property test covers them at random:
test_rollup_property.py)."""

import datetime as dt

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Organisation
from leadtracker.calls.actions import log_call
from leadtracker.calls.models import Call, Device
from leadtracker.calls.sync import sync
from leadtracker.leads.models import Lead
from leadtracker.reports.models import UserDay, UserHour
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.reports.tests.test_call_back_figures_added import _planned_as_at_scale
from leadtracker.reports.tests.test_rollup_batch_cost import _measure, fill
from leadtracker.testing import call, clocks, make_lead, open_shift, paired_client, send

PER_BATCH = 20
BATCHES = 50


def _batch(n: int, extra=()) -> list[dict]:
    """Twenty calls 45 s apart from 00:56 on the clock's day (14:16 IST): a missed call from a
    number that is no lead (it opens a call-back), the rest to and from numbers nobody called
    before; plus ``extra`` rows. A measured batch (with ``extra``) has its missed call a few
    minutes ago, so early and late alike it is fresh enough to notify its person."""
    rows = []
    for i in range(PER_BATCH - len(extra)):
        k = n * PER_BATCH + i
        kwargs = {"minutes_ago": 800 - k * 0.75, "number": f"+91985{k:07d}", "duration_s": 40}
        if i == 0:
            kwargs.update(type="missed", duration_s=0, minutes_ago=5 if extra else kwargs["minutes_ago"])
        elif i % 3 == 0:
            kwargs["type"] = "incoming"
        rows.append(call(k, **kwargs))
    return rows + list(extra)


def _late(n: int) -> dict:
    """A row from early in the day, before the phone's newest call: the measured batches carry
    one each, so early and late alike read which of their calls are stored already (a batch of
    only newer calls skips that read: calls/sync.py)."""
    return call(95_000 + n, number=f"+91987{n:07d}", minutes_ago=850, duration_s=30)


def _fill(device, first: int, last: int) -> None:
    fill(device, [row for n in range(first, last) for row in _batch(n)])


def _logged(member, lead, key: str) -> Call:
    """What the outcome sheet does for a lead with no synced call yet: a call logged by hand now,
    under the sheet's key (calls/sheet/actions.py)."""
    logged, _ = log_call(member, lead=lead, direction="out", duration_s=60, actor=Actor.system())
    Call.objects.filter(pk=logged.pk).update(outcome_key=key)
    return logged


@pytest.mark.slow(reason="fifty sync batches, a thousand calls, to fill a day")
@clocks("sunday")
def test_absorbing_a_logged_call_costs_the_same_late_in_the_day(frozen_at, acme):
    open_shift(acme.alice, hours_ago=16)
    phone = paired_client(acme.alice)
    early_lead, late_lead = make_lead(acme, phone="98110 00020"), make_lead(acme, phone="98110 00021")
    assert send(phone, []).status_code == 200  # a phone's first request does one-off work
    device = Device.objects.get(user_id=acme.alice.user_id)
    _fill(device, 0, 1)
    measured = []
    for n, lead in ((1, early_lead), (BATCHES - 1, late_lead)):
        if n > 1:
            _fill(device, 2, n)
        logged = _logged(acme.alice, lead, f"sheet-{n}")
        # The phone's row of the same call: it began three minutes before the sheet was saved.
        twin = call(90_000 + n, number=lead.phone, minutes_ago=3, duration_s=60)
        with _planned_as_at_scale():
            measured.append(_measure(phone, _batch(n, [twin, _late(n)])))
        assert not Call.objects.filter(pk=logged.pk).exists()  # absorbed
        assert Call.objects.get(lead=lead).outcome_key == f"sheet-{n}"

    early, late = measured
    day = UserDay.objects.get(user_id=acme.alice.user_id)
    assert day.calls == BATCHES * PER_BATCH  # the logged calls counted once, as the phone's rows
    assert_rollups_match(acme.org)
    assert late[0] == early[0], f"statements: 2nd batch {early[0]}, 50th {late[0]}"
    assert late[1] <= early[1] * 1.25 + 40, f"rows read (SQLite: steps/100): 2nd {early[1]}, 50th {late[1]}"


@clocks("monday-00:05")
def test_a_logged_call_absorbed_into_yesterdays_call_leaves_its_own_day(frozen_at, acme):
    """The sheet saved five minutes into Monday for a call the phone began on Sunday: Monday
    loses the call, its lead, its dial (the day's most dials to one lead falls to what is left)
    and its first and last call; a day and an hour left with nothing have no row."""
    for member in (acme.alice, acme.bob):
        open_shift(member, hours_ago=3)
    alice, bob = paired_client(acme.alice), paired_client(acme.bob, name="Bob's phone")
    lead, other = make_lead(acme, phone="98110 00030"), make_lead(acme, phone="98110 00031")
    # Alice's Monday also has an incoming call from another lead; Bob's Monday has only the sheet's.
    assert send(alice, [call(1, number=other.phone, type="incoming", minutes_ago=3)]).json()["stored"] == 1
    for member in (acme.alice, acme.bob):
        _logged(member, lead, f"sheet-{member.pk}")
    assert UserDay.objects.filter(day=frozen_at.date()).count() == 2
    assert UserDay.objects.get(user_id=acme.alice.user_id, day=frozen_at.date()).max_same_number == 1

    for n, client in enumerate((alice, bob), start=2):
        answer = send(client, [call(n, number=lead.phone, minutes_ago=8, duration_s=60)]).json()
        assert answer["stored"] == 1
    assert not Call.objects.filter(via="manual").exists()  # both absorbed
    monday = UserDay.objects.get(day=frozen_at.date())
    assert monday.user_id == acme.alice.user_id  # Bob's Monday is gone
    assert (monday.calls, monday.unique_leads, monday.max_same_number) == (1, 1, 0)
    assert not UserHour.objects.filter(user_id=acme.bob.user_id, day=frozen_at.date()).exists()
    assert_rollups_match(acme.org)


@pytest.mark.slow(reason="fifty sync batches, a thousand calls, to fill a day")
@clocks("sunday")
def test_a_lead_made_by_the_sync_for_a_number_with_calls_costs_the_same_late_in_the_day(frozen_at, acme):
    """With 'make leads of unknown numbers' on, a number whose earlier calls were no lead's (the
    setting was off then) gets a lead in the batch that brings its next call, and those calls
    become its calls: their days count one lead more, added, not recounted."""
    open_shift(acme.alice, hours_ago=16)
    phone = paired_client(acme.alice)
    early_number, late_number = "+919860000001", "+919860000002"
    assert send(phone, []).status_code == 200
    device = Device.objects.get(user_id=acme.alice.user_id)
    earlier = [
        call(80_000 + i, number=number, minutes_ago=830 - i, duration_s=30)
        for i, number in enumerate([early_number] * 3 + [late_number] * 3)
    ]
    assert sync(device, {"calls": earlier}, actor=Actor.system())["stored"] == 6
    _fill(device, 0, 1)
    org = Organisation.objects.filter(pk=acme.org.pk)
    measured = []
    for n, number in ((1, early_number), (BATCHES - 1, late_number)):
        if n > 1:
            _fill(Device.objects.get(pk=device.pk), 2, n)
        # The batch's other numbers are no lead's either: leads are made for them all (and each
        # link looks for calls to take), in both batches alike; only this one has some.
        org.update(calls_create_leads=True)
        with _planned_as_at_scale():
            measured.append(
                _measure(phone, _batch(n, [call(90_000 + n, number=number, minutes_ago=2), _late(n)]))
            )
        org.update(calls_create_leads=False)
        assert Call.objects.filter(number=number, lead__isnull=False).count() == 4

    early, late = measured
    day = UserDay.objects.get(user_id=acme.alice.user_id)
    assert day.calls == BATCHES * PER_BATCH + 6
    assert day.unique_leads == Lead.objects.count() == 2 * PER_BATCH
    assert_rollups_match(acme.org)
    assert late[0] == early[0], f"statements: 2nd batch {early[0]}, 50th {late[0]}"
    assert late[1] <= early[1] * 1.25 + 40, f"rows read (SQLite: steps/100): 2nd {early[1]}, 50th {late[1]}"


@clocks("monday-00:05")
def test_a_call_back_on_a_day_without_its_row_counts_that_day_once(frozen_at, acme):
    """The one path left to count a day from its rows: a batch returns a missed call whose day
    has no row. Every writer keeps a day's row with its calls, so that day's roll-ups are out of
    step (a time zone changed, a row lost): it is counted whole, once, and is right again."""
    open_shift(acme.alice, hours_ago=3)
    phone = paired_client(acme.alice)
    number = "+919870000001"
    sunday = [call(1, number=number, type="missed", duration_s=0, minutes_ago=15), call(2, minutes_ago=12)]
    assert send(phone, sunday).json()["stored"] == 2
    yesterday = (frozen_at - dt.timedelta(days=1)).date()
    # Out of step: Sunday's rows gone while its calls stay.
    UserDay.objects.filter(day=yesterday).delete()
    UserHour.objects.filter(day=yesterday).delete()
    assert send(phone, [call(3, number=number, minutes_ago=2, duration_s=60)]).json()["stored"] == 1
    day = UserDay.objects.get(day=yesterday)
    assert (day.calls, day.missed_returned, day.missed_not_returned) == (2, 1, 0)
    assert_rollups_match(acme.org)
