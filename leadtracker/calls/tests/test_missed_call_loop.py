"""The missed-call loop, end to end through the sync API: a missed call from a lead opens a
call-back for the lead's owner; the next call with a conversation closes it, measuring the wait."""

from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import CallBack
from leadtracker.testing import call, make_lead, open_shift, paired_client, send


def test_missed_call_opens_a_call_back_and_a_connected_call_closes_it(acme, phone, as_member):
    lead = make_lead(acme, owner=acme.bob)
    send(phone, [call(1, type="missed", duration_s=0, minutes_ago=50)])
    cb = CallBack.objects.get()
    assert cb.lead_id == lead.pk and cb.assignee_id == acme.bob.user_id and cb.closed_at is None
    # Bob sees it in his "missed calls to return"; Alice (not the owner) does not.
    page = as_member(acme.bob).get("/calls/missed/").content.decode()
    assert "+91 98765 43210" in page and f"/leads/{lead.pk}/" in page
    mine = as_member(acme.bob).get("/api/v1/calls/missed").json()
    assert [m["lead_id"] for m in mine] == [lead.pk]
    assert as_member(acme.alice).get("/api/v1/calls/missed").json() == []
    # A call that did not connect leaves it open; the connected one 20 minutes later closes it.
    send(phone, [call(2, type="outgoing", duration_s=0, minutes_ago=40)])
    assert CallBack.objects.get().closed_at is None
    send(phone, [call(3, type="outgoing", duration_s=95, minutes_ago=30)])
    cb.refresh_from_db()
    assert cb.closed_at is not None and cb.seconds_to_return == 20 * 60
    assert as_member(acme.bob).get("/api/v1/calls/missed").json() == []


def test_an_incoming_answered_call_closes_it_too(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1, type="rejected", duration_s=0, minutes_ago=50)])
    send(phone, [call(2, type="incoming", duration_s=40, minutes_ago=45)])
    assert CallBack.objects.get().seconds_to_return == 5 * 60


def test_repeated_missed_calls_make_one_call_back_measured_from_the_first(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(
        phone,
        [
            call(1, type="missed", duration_s=0, minutes_ago=50),
            call(2, type="missed", duration_s=0, minutes_ago=40),
        ],
    )
    send(phone, [call(3, type="missed", duration_s=0, minutes_ago=35)])
    cb = CallBack.objects.get()
    assert cb.missed_count == 3
    send(phone, [call(4, duration_s=60, minutes_ago=30)])
    cb.refresh_from_db()
    assert cb.seconds_to_return == 20 * 60


def test_in_one_batch_missed_then_returned(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(
        phone, [call(2, duration_s=60, minutes_ago=30), call(1, type="missed", duration_s=0, minutes_ago=33)]
    )
    cb = CallBack.objects.get()
    assert cb.closed_at is not None and cb.seconds_to_return == 3 * 60


def test_a_missed_call_that_arrives_after_its_return_is_closed_at_once(acme, phone):
    """Bob's phone returned the call and synced first; Alice's phone, which missed it, syncs later."""
    make_lead(acme, owner=acme.alice)
    open_shift(acme.bob)
    bob_phone = paired_client(acme.bob)
    send(bob_phone, [call(1, duration_s=60, minutes_ago=30)])
    send(phone, [call(1, type="missed", duration_s=0, minutes_ago=45)])
    cb = CallBack.objects.get()
    assert cb.closed_at is not None and cb.seconds_to_return == 15 * 60


def test_a_connected_call_before_the_missed_one_does_not_close_it(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1, duration_s=60, minutes_ago=60)])
    send(phone, [call(2, type="missed", duration_s=0, minutes_ago=45)])
    assert CallBack.objects.get().closed_at is None


def test_a_new_miss_after_a_closed_call_back_opens_a_new_one(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(
        phone,
        [
            call(1, type="missed", duration_s=0, minutes_ago=60),
            call(2, duration_s=60, minutes_ago=50),
            call(3, type="missed", duration_s=0, minutes_ago=40),
        ],
    )
    assert CallBack.objects.filter(closed_at__isnull=False).count() == 1
    assert CallBack.objects.filter(closed_at__isnull=True).count() == 1


def test_numbers_that_cannot_be_called_back_open_none_and_an_unowned_lead_goes_to_whoever_it_rang(
    acme, phone
):
    # A number that is no lead does open one (test_unknown_number_calls.py); withheld numbers
    # and service codes cannot be returned.
    send(
        phone,
        [
            call(1, number="", type="missed", duration_s=0, minutes_ago=61),
            call(3, number="121", type="missed", duration_s=0, minutes_ago=62),
        ],
    )
    assert not CallBack.objects.exists()
    lead = make_lead(acme, phones=["+919800000008"])  # nobody owns it
    send(phone, [call(2, number="+919800000008", type="missed", duration_s=0)])
    assert CallBack.objects.get(lead=lead).assignee_id == acme.alice.user_id


def test_managers_see_their_teams_call_backs_oldest_first(acme, phone, as_member):
    make_lead(acme, phones=["+919800000001"], owner=acme.alice)
    make_lead(acme, phones=["+919800000002"], owner=acme.alice)
    send(
        phone,
        [
            call(1, number="+919800000002", type="missed", duration_s=0, minutes_ago=20),
            call(2, number="+919800000001", type="missed", duration_s=0, minutes_ago=40),
        ],
    )
    manager = acme.maya if acme.alice.reports_to_id == acme.maya.pk else acme.mark
    rows = as_member(manager).get("/api/v1/calls/missed").json()
    assert [r["number"] for r in rows] == ["+919800000001", "+919800000002"]
    other = acme.mark if manager == acme.maya else acme.maya
    assert as_member(other).get("/api/v1/calls/missed").json() == []


def test_a_reassigned_leads_call_backs_go_to_its_new_owner(acme, phone, as_member):
    from leadtracker.leads.actions.assignment import assign_lead

    lead = make_lead(acme, owner=acme.alice, name="Moved Lead")
    send(phone, [call(1, type="missed", duration_s=0)])
    assign_lead(lead, acme.bob.user_id, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    assert CallBack.objects.get().assignee_id == acme.bob.user_id
    assert as_member(acme.alice).get("/api/v1/calls/missed").json() == []
    assert [r["lead_name"] for r in as_member(acme.bob).get("/api/v1/calls/missed").json()] == ["Moved Lead"]


def test_an_earlier_miss_arriving_late_is_measured_from(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1, type="missed", duration_s=0, minutes_ago=60)])
    send(phone, [call(2, type="missed", duration_s=0, minutes_ago=120)])  # synced late by another phone
    send(phone, [call(3, duration_s=60, minutes_ago=0)])
    cb = CallBack.objects.get()
    assert cb.missed_count == 2 and cb.seconds_to_return == 120 * 60


def test_an_earlier_miss_returned_before_the_later_one_gets_its_own_closed_call_back(acme, phone):
    make_lead(acme, owner=acme.alice)
    send(phone, [call(1, duration_s=60, minutes_ago=100)])  # the return of the early miss
    send(phone, [call(2, type="missed", duration_s=0, minutes_ago=60)])  # a new miss, open
    send(phone, [call(3, type="missed", duration_s=0, minutes_ago=120)])  # the early miss, late
    closed = CallBack.objects.get(closed_at__isnull=False)
    assert closed.seconds_to_return == 20 * 60
    still_open = CallBack.objects.get(closed_at__isnull=True)
    assert still_open.missed_count == 1


def test_merging_leads_gives_the_duplicates_call_backs_to_the_primarys_owner(acme, phone):
    from leadtracker.leads.actions.merge import merge_leads

    primary = make_lead(acme, phones=["+919800000001"], owner=acme.bob)
    duplicate = make_lead(acme, phones=["+919800000002"], owner=acme.alice, email="d@example.in")
    send(phone, [call(1, number="+919800000002", type="missed", duration_s=0)])
    assert CallBack.objects.get().assignee_id == acme.alice.user_id
    merge_leads(primary, duplicate, actor=Actor.for_user(acme.olga.user), by=acme.olga)
    cb = CallBack.objects.get()
    assert cb.lead_id == primary.pk and cb.assignee_id == acme.bob.user_id
