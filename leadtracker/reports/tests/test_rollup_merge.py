"""A lead merge moves the duplicate's calls to the primary: the roll-ups of the person-days of
those calls follow in the merge's own transaction (leads called and most dials to one lead are
counted per lead, so two leads that become one change them)."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.merge import merge_leads
from leadtracker.reports.models import UserDay
from leadtracker.reports.tests.busy_day import calls_for, minutes_into_today
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.testing import make_lead, open_shift, paired_client, send

PRIMARY, DUPLICATE, OTHER = "+919876520001", "+919876520002", "+919876520003"


def latest_minutes_ago(org, n_calls: int) -> int:
    """Where the last of ``n_calls`` one-minute-apart calls goes so that all fall on one local
    day: just now, or just before midnight when today is younger than the calls."""
    today = minutes_into_today(org)
    return 1 if today > n_calls + 2 else today + 1


def day_of(member) -> UserDay:
    (row,) = UserDay.objects.filter(user_id=member.user_id)
    return row


def test_a_merge_counts_the_two_leads_as_one_on_the_days_that_called_them(acme):
    primary = make_lead(acme, name="Ravi Patel", phone=PRIMARY, actor=Actor.system(), owner=acme.alice)
    duplicate = make_lead(acme, name="Ravi P.", phone=DUPLICATE, actor=Actor.system(), owner=acme.alice)
    make_lead(acme, name="Someone Else", phone=OTHER, actor=Actor.system(), owner=acme.alice)
    open_shift(acme.alice)
    open_shift(acme.bob)
    # Alice: the primary twice, the duplicate three times, another lead once. Bob called only
    # the duplicate: his day keeps one lead, now the primary.
    alice_calls = (
        [(PRIMARY, "outgoing", 40)] * 2 + [(DUPLICATE, "outgoing", 30)] * 3 + [(OTHER, "outgoing", 20)]
    )
    bob_calls = [(DUPLICATE, "outgoing", 50)] * 2
    latest = latest_minutes_ago(acme.org, len(alice_calls))
    assert (
        send(paired_client(acme.alice), calls_for(100, alice_calls, latest_minutes_ago=latest)).status_code
        == 200
    )
    assert (
        send(paired_client(acme.bob), calls_for(200, bob_calls, latest_minutes_ago=latest)).status_code == 200
    )
    assert_rollups_match(acme.org)
    assert (day_of(acme.alice).unique_leads, day_of(acme.alice).max_same_number) == (3, 3)
    assert (day_of(acme.bob).unique_leads, day_of(acme.bob).max_same_number) == (1, 2)

    merge_leads(primary, duplicate, actor=Actor.for_user(acme.olga.user), by=acme.olga)

    assert_rollups_match(acme.org)
    # Two of the three leads Alice called are one now, and her five dials to it add up.
    assert (day_of(acme.alice).unique_leads, day_of(acme.alice).max_same_number) == (2, 5)
    assert (day_of(acme.alice).calls, day_of(acme.bob).calls) == (6, 2)
    assert (day_of(acme.bob).unique_leads, day_of(acme.bob).max_same_number) == (1, 2)


def test_two_leads_called_once_each_become_one_lead_called_twice(acme):
    primary = make_lead(acme, name="Ravi Patel", phone=PRIMARY, actor=Actor.system(), owner=acme.alice)
    duplicate = make_lead(acme, name="Ravi P.", phone=DUPLICATE, actor=Actor.system(), owner=acme.alice)
    open_shift(acme.alice)
    calls = [(PRIMARY, "outgoing", 40), (DUPLICATE, "outgoing", 30)]
    latest = latest_minutes_ago(acme.org, len(calls))
    assert (
        send(paired_client(acme.alice), calls_for(100, calls, latest_minutes_ago=latest)).status_code == 200
    )
    assert (day_of(acme.alice).unique_leads, day_of(acme.alice).max_same_number) == (2, 1)

    merge_leads(primary, duplicate, actor=Actor.for_user(acme.olga.user), by=acme.olga)

    assert_rollups_match(acme.org)
    assert (day_of(acme.alice).unique_leads, day_of(acme.alice).max_same_number) == (1, 2)
