"""A call the outcome sheet logged before the phone synced it is counted once: when the phone's
row arrives it takes the sheet's outcome, note and key (and the call-back it returned), and the
logged call goes. A phone's call long before the sheet was saved is another call."""

import pytest

from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call, CallBack, Outcome
from leadtracker.testing import call, make_lead, send


def save_sheet(client, lead, people, key):
    interested = Outcome.objects.get(organisation=people.org, name="Interested")
    body = {"outcome": interested.pk, "when": "tomorrow", "note": "Wants a visit", "key": key}
    assert client.post(f"/calls/sheet/lead/{lead.pk}/", body).status_code == 302


@pytest.mark.django_db
def test_the_phones_row_takes_the_sheets_outcome_and_the_logged_call_goes(acme, phone, as_member):
    lead = make_lead(acme, owner=acme.alice)
    send(phone, [call(1, type="missed", duration_s=0, minutes_ago=30)])
    client = as_member(acme.alice)
    save_sheet(client, lead, acme, "twin-1")
    logged = Call.objects.get(via="manual")
    assert CallBack.objects.get().closing_call_id == logged.pk
    # The phone syncs the call the agent made from the queue, which ended a minute ago.
    answer = send(phone, [call(2, type="outgoing", duration_s=95, minutes_ago=3)]).json()
    assert answer["stored"] == 1
    synced = Call.objects.get(via="device", type="outgoing")
    assert not Call.objects.filter(pk=logged.pk).exists()
    assert (synced.outcome.name, synced.note, synced.outcome_key) == ("Interested", "Wants a visit", "twin-1")
    assert synced.disposed_by_id == acme.alice.user_id and synced.duration_s == 95
    assert CallBack.objects.get().closing_call_id == synced.pk
    assert AuditEvent.objects.filter(action="call.logged_twin", object_id=str(synced.pk)).exists()
    # The sheet sent again still finds its call.
    save_sheet(client, lead, acme, "twin-1")
    assert Call.objects.filter(lead=lead, type="outgoing").count() == 1


@pytest.mark.django_db
def test_a_call_long_before_the_sheet_is_another_call(acme, phone, as_member):
    lead = make_lead(acme, owner=acme.alice)
    save_sheet(as_member(acme.alice), lead, acme, "twin-2")
    send(phone, [call(1, type="outgoing", duration_s=60, minutes_ago=200)])
    assert Call.objects.filter(lead=lead).count() == 2
    assert Call.objects.get(via="manual").outcome_key == "twin-2"
