"""A missed call from a number that is no lead, synced by the phone it rang during a shift:
it waits in Missed calls of the person whose phone rang — in the list, its API, the dashboard's
tile and the roll-ups alike — until someone in the organisation talks with that number, either
way. Whether or not the organisation makes leads of unknown numbers. A lead made later for the
number takes its calls and its call-back."""

from leadtracker.accounts.models import AuditEvent, Organisation
from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.models import Lead
from leadtracker.reports.models import UserDay
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.testing import call, clocks, make_lead, open_shift, paired_client, send

UNKNOWN = "+919812345678"
SHOWN = "+91 98123 45678"


def missed(n=1, number=UNKNOWN, minutes_ago=50):
    return call(n, number=number, type="missed", duration_s=0, minutes_ago=minutes_ago)


def test_it_waits_in_missed_calls_of_the_person_whose_phone_rang(acme, phone, as_member):
    assert send(phone, [missed()]).json()["stored"] == 1
    cb = CallBack.objects.get()
    assert cb.lead_id is None and cb.number == UNKNOWN and cb.closed_at is None
    assert cb.assignee_id == acme.alice.user_id
    assert cb.missed_call_id == Call.objects.get().pk
    assert not Lead.objects.exists()  # the organisation makes no leads of unknown numbers

    page = as_member(acme.alice).get("/calls/missed/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-missed-total="1"' in html
    assert SHOWN in html and "not a lead" in html and f'href="tel:{UNKNOWN}"' in html
    # From the row: its outcome, and a lead made of it.
    assert f"/calls/{cb.missed_call_id}/?back=" in html and f"/calls/{cb.missed_call_id}/lead/" in html

    assert as_member(acme.alice).get("/api/v1/calls/missed").json() == [
        {
            "id": cb.pk,
            "lead_id": None,
            "lead_name": "",
            "number": UNKNOWN,
            "missed_call_id": cb.missed_call_id,
            "assignee_id": acme.alice.user_id,
            "missed_at": cb.missed_at.isoformat().replace("+00:00", "Z"),
            "last_missed_at": cb.last_missed_at.isoformat().replace("+00:00", "Z"),
            "missed_count": 1,
            "closed_at": None,
            "seconds_to_return": None,
        }
    ]
    # Another agent does not see it; Alice's manager does, and so does the owner.
    assert as_member(acme.bob).get("/api/v1/calls/missed").json() == []
    assert [m["id"] for m in as_member(acme.maya).get("/api/v1/calls/missed").json()] == [cb.pk]
    assert 'data-missed-total="1"' in as_member(acme.olga).get("/calls/missed/").content.decode()
    # The agent's day lists it too.
    assert SHOWN in as_member(acme.alice).get("/").content.decode()


def test_the_same_when_the_organisation_makes_leads_of_unknown_numbers(acme, phone):
    send(phone, [missed(1, number="+919812345600")])
    assert CallBack.objects.get().lead_id is None
    Organisation.objects.filter(pk=acme.org.pk).update(calls_create_leads=True)
    send(phone, [missed(2, minutes_ago=40)])
    lead = Lead.objects.get(phones__e164=UNKNOWN)
    cb = CallBack.objects.get(number=UNKNOWN)
    assert cb.lead_id == lead.pk and cb.assignee_id == acme.alice.user_id == lead.owner_id
    assert CallBack.objects.filter(closed_at__isnull=True).count() == 2


def test_the_next_call_with_a_conversation_by_anyone_closes_it(acme, phone, as_member):
    send(phone, [missed(1, minutes_ago=50), missed(2, minutes_ago=48)])
    cb = CallBack.objects.get()
    assert cb.missed_count == 2
    # Alice calls back and nobody answers: still waiting.
    send(phone, [call(3, number=UNKNOWN, duration_s=0, minutes_ago=45)])
    assert CallBack.objects.get().closed_at is None
    # Bob, on his own phone, talks with the number: that returns it, for the organisation.
    open_shift(acme.bob)
    bob_phone = paired_client(acme.bob, name="Bob's phone")
    send(bob_phone, [call(1, number=UNKNOWN, duration_s=95, minutes_ago=30)])
    cb.refresh_from_db()
    assert cb.closed_at is not None and cb.seconds_to_return == 20 * 60
    assert cb.closing_call.user_id == acme.bob.user_id
    assert as_member(acme.alice).get("/api/v1/calls/missed").json() == []
    assert 'data-missed-total="0"' in as_member(acme.alice).get("/calls/missed/").content.decode()


def test_the_dashboard_tile_the_list_and_the_roll_ups_agree(acme, phone, as_member):
    make_lead(acme, phones=["+919811100001"], owner=acme.alice)
    send(phone, [missed(1, number="+919811100001", minutes_ago=52), missed(2, minutes_ago=50)])
    assert CallBack.objects.filter(closed_at__isnull=True).count() == 2
    for viewer in (acme.olga, acme.maya, acme.alice):
        client = as_member(viewer)
        if viewer.has_role("manager"):
            assert client.get("/dashboard/").context["live"]["missed_waiting"] == 2
        listed = client.get("/calls/missed/")
        assert len(listed.context["rows"]) == 2 and 'data-missed-total="2"' in listed.content.decode()
    assert_rollups_match(acme.org)
    assert sum(UserDay.objects.values_list("missed_not_returned", flat=True)) == 2
    send(phone, [call(3, number=UNKNOWN, duration_s=60, minutes_ago=20)])
    assert_rollups_match(acme.org)
    assert sum(UserDay.objects.values_list("missed_returned", flat=True)) == 1
    assert as_member(acme.olga).get("/dashboard/").context["live"]["missed_waiting"] == 1


# The roll-ups count unique leads per day in the organisation's zone: calls 50 to 35 minutes
# old fell on two days when the test ran between 00:35 and 00:50 IST (3 unique leads, not 2).
@clocks("sunday", "23:55")
def test_a_lead_made_later_for_the_number_takes_its_calls_and_its_call_back(
    frozen_at, acme, phone, as_member
):
    send(phone, [missed(1, minutes_ago=50), call(2, number=UNKNOWN, duration_s=0, minutes_ago=40)])
    other = make_lead(acme, phones=["+919811100002"], owner=acme.alice)
    send(phone, [call(3, number="+919811100002", minutes_ago=35)])
    assert_rollups_match(acme.org)
    # Olga makes the lead by hand (any way of making a lead does it) and gives it to Bob.
    lead = make_lead(acme, phones=[UNKNOWN], owner=acme.bob, name="Ravi Verma")
    assert set(Call.objects.filter(number=UNKNOWN).values_list("lead_id", flat=True)) == {lead.pk}
    assert Call.objects.get(number="+919811100002").lead_id == other.pk  # another lead's stays
    cb = CallBack.objects.get()
    assert cb.lead_id == lead.pk and cb.assignee_id == acme.bob.user_id  # the owner returns it
    lead.refresh_from_db()
    assert lead.last_contacted_at == Call.objects.get(device_call_id="1002").started_at
    event = AuditEvent.objects.get(action="lead.calls_linked")
    assert event.object_id == str(lead.pk) and event.changes == {"calls": 2, "call_backs": 1}
    # Bob's list names the lead; Alice's is empty; the roll-ups count the lead as called.
    bob = as_member(acme.bob).get("/api/v1/calls/missed").json()
    assert [(m["lead_id"], m["lead_name"]) for m in bob] == [(lead.pk, "Ravi Verma")]
    assert as_member(acme.alice).get("/api/v1/calls/missed").json() == []
    assert_rollups_match(acme.org)
    assert sum(UserDay.objects.values_list("unique_leads", flat=True)) == 2


def test_last_four_digits_mode_follows_the_masking_rules(acme, phone, as_member):
    Organisation.objects.filter(pk=acme.org.pk).update(mask_other_numbers=True)
    send(phone, [missed()])
    # No lead: the number came from Alice's own phone and is nobody's lead's, so it shows whole.
    assert [m["number"] for m in as_member(acme.alice).get("/api/v1/calls/missed").json()] == [UNKNOWN]
    assert SHOWN in as_member(acme.alice).get("/calls/missed/").content.decode()
    # Made a lead nobody owns: the call-back stays Alice's, but the number is a lead's she does
    # not own — the last four digits, and no tel: link.
    make_lead(acme, phones=[UNKNOWN])
    assert [m["number"] for m in as_member(acme.alice).get("/api/v1/calls/missed").json()] == ["•••••• 5678"]
    html = as_member(acme.alice).get("/calls/missed/").content.decode()
    assert "•••••• 5678" in html and SHOWN not in html and "tel:" not in html
    # Managers see numbers in full.
    assert [m["number"] for m in as_member(acme.maya).get("/api/v1/calls/missed").json()] == [UNKNOWN]
