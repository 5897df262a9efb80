"""A lead made from a call whose number is no lead — on the call's page, from Recent calls and
from Missed calls, and through the API: the number filled in, the lead owned by the person
whose phone the call was on, every call with the number that was no lead's linked to it, the
leads' own create action (and its audit event); a number that is a lead already opens it."""

import pytest

from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.models import Lead
from leadtracker.testing import call, make_lead, open_shift, paired_client, send

UNKNOWN = "+919812345678"


@pytest.fixture
def calls(acme, phone):
    """Alice missed the number, then called it back without an answer; another number of
    hers, a withheld caller and a service code."""
    body = send(
        phone,
        [
            call(1, number=UNKNOWN, type="missed", duration_s=0, minutes_ago=50),
            call(2, number=UNKNOWN, duration_s=0, minutes_ago=40),
            call(3, number="+919811100009", minutes_ago=35),
            call(4, number="", type="incoming", duration_s=20, minutes_ago=30),
            call(5, number="121", minutes_ago=20),
        ],
    ).json()
    assert body["stored"] == 5, body
    return {c.device_call_id: c for c in Call.objects.all()}


def imported_lead(people, name, owner):
    """A lead for the number written as the importer writes leads: in bulk, past the create
    action, so its calls are not linked."""
    from leadtracker.leads.actions.leads import default_status

    lead = Lead.objects.create(
        organisation=people.org,
        name=name,
        phone=UNKNOWN,
        owner=owner.user,
        status=default_status(people.org.pk),
    )
    lead.phones.create(organisation=people.org, e164=UNKNOWN, raw=UNKNOWN)
    return lead


def test_the_button_is_on_the_call_in_recent_calls_and_in_missed_calls(acme, as_member, calls):
    client = as_member(acme.alice)
    make = f"/calls/{calls['1001'].pk}/lead/"
    assert make in client.get(f"/calls/{calls['1001'].pk}/").content.decode()
    recent = client.get("/calls/recent/").content.decode()
    for device_call_id in ("1001", "1002", "1003"):
        assert f"/calls/{calls[device_call_id].pk}/lead/" in recent
    # Withheld and service numbers cannot become leads: no button, and the page says why.
    for device_call_id in ("1004", "1005"):
        assert f"/calls/{calls[device_call_id].pk}/lead/" not in recent
    page = client.post(f"/calls/{calls['1004'].pk}/lead/", {"name": "Someone"})
    assert page.status_code == 422 and "withheld" in page.content.decode()
    assert not Lead.objects.exists()
    assert make in client.get("/calls/missed/").content.decode()


def test_creating_it_on_the_web_links_every_call_of_the_number(acme, globex, as_member, calls):
    client = as_member(acme.alice)
    form = client.get(f"/calls/{calls['1001'].pk}/lead/")
    html = form.content.decode()
    assert form.status_code == 200
    assert 'id="lead-number" type="tel"' in html and 'value="+91 98123 45678" readonly' in html
    assert 'name="owner"' not in html  # an agent's lead is hers: nothing to choose
    response = client.post(
        f"/calls/{calls['1001'].pk}/lead/", {"name": "Ravi Verma", "company": "Verma Homes"}
    )
    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    assert (lead.name, lead.company, lead.phone, lead.owner_id) == (
        "Ravi Verma",
        "Verma Homes",
        UNKNOWN,
        acme.alice.user_id,
    )
    # This call, and the other call with the number; not the other numbers' calls.
    assert set(Call.objects.filter(lead=lead).values_list("device_call_id", flat=True)) == {"1001", "1002"}
    assert Call.objects.filter(lead__isnull=True).count() == 3
    cb = CallBack.objects.get()
    assert cb.lead_id == lead.pk and cb.assignee_id == acme.alice.user_id
    # Through the leads' create action: its audit event and timeline entry.
    created = AuditEvent.objects.get(action="lead.create")
    assert created.object_id == str(lead.pk) and created.actor_user_id == acme.alice.user_id
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Ravi Verma" in page
    assert "Lead “Ravi Verma” created from the call." in page
    # Nobody who may not see the call makes a lead of it: a manager of another team, another
    # organisation.
    assert as_member(acme.mark).get(f"/calls/{calls['1003'].pk}/lead/").status_code == 404
    assert as_member(globex.olga).post(f"/calls/{calls['1003'].pk}/lead/", {}).status_code == 404
    assert Lead.objects.count() == 1


def test_a_manager_makes_it_for_the_person_whose_phone_it_was_on_or_chooses(acme, as_member, calls):
    client = as_member(acme.maya)
    form = client.get(f"/calls/{calls['1001'].pk}/lead/").content.decode()
    assert f'<option value="{acme.alice.user_id}" selected>' in form
    assert (
        client.post(f"/calls/{calls['1001'].pk}/lead/", {"owner": str(acme.alice.user_id)}).status_code == 302
    )
    assert Lead.objects.get().owner_id == acme.alice.user_id
    # Someone outside her team cannot be given it.
    response = client.post(f"/calls/{calls['1003'].pk}/lead/", {"owner": str(acme.carl.user_id)})
    assert response.status_code == 422 and Lead.objects.count() == 1
    # "Nobody yet" leaves it to the assignment rules.
    assert client.post(f"/calls/{calls['1003'].pk}/lead/", {"owner": "nobody"}).status_code == 302
    assert Lead.objects.get(phone="+919811100009").owner_id is None


def test_a_number_that_is_a_lead_already_opens_that_lead(acme, as_member, calls):
    """Say an import made the lead since (imports do not look for calls): the call is linked to
    it and the page opens it — no error, no second lead."""
    lead = imported_lead(acme, "Imported", acme.alice)
    response = as_member(acme.alice).post(f"/calls/{calls['1001'].pk}/lead/", {"name": "Typed again"})
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    assert Lead.objects.count() == 1
    assert set(Call.objects.filter(lead=lead).values_list("device_call_id", flat=True)) == {"1001", "1002"}
    assert CallBack.objects.get().lead_id == lead.pk
    # Once linked, the call's button is gone and the page opens the lead.
    assert (
        f"/calls/{calls['1001'].pk}/lead/" not in as_member(acme.alice).get("/calls/recent/").content.decode()
    )
    again = as_member(acme.alice).get(f"/calls/{calls['1001'].pk}/lead/")
    assert again.status_code == 302 and again["Location"] == f"/leads/{lead.pk}/"


def test_a_colleagues_lead_is_linked_without_showing_it(acme, as_member, calls):
    lead = imported_lead(acme, "Carl's", acme.carl)
    response = as_member(acme.alice).post(f"/calls/{calls['1001'].pk}/lead/", {}, follow=True)
    assert response.redirect_chain[-1][0] == f"/calls/{calls['1001'].pk}/"
    page = response.content.decode()
    assert "already a colleague&#x27;s lead" in page and "Carl&#x27;s" not in page
    assert Call.objects.get(pk=calls["1001"].pk).lead_id == lead.pk


def test_an_e_mail_of_another_lead_is_named_on_its_field(acme, as_member, calls):
    make_lead(acme, phones=["+919811100008"], owner=acme.carl, email="ravi@example.com")
    response = as_member(acme.alice).post(
        f"/calls/{calls['1001'].pk}/lead/", {"name": "Ravi", "email": "ravi@example.com"}
    )
    page = response.content.decode()
    assert response.status_code == 422 and "E-mail:</strong> another lead has this e-mail" in page
    assert Lead.objects.count() == 1 and Call.objects.get(pk=calls["1001"].pk).lead_id is None


def test_through_the_api(acme, as_member, api_as, calls):
    alice = api_as(acme.alice)
    answer = alice.post(
        f"/api/v1/calls/{calls['1001'].pk}/lead", {"name": "Ravi"}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    lead = Lead.objects.get()
    assert answer.json() == {"lead_id": lead.pk, "created": True} and lead.owner_id == acme.alice.user_id
    assert Call.objects.filter(lead=lead).count() == 2
    again = alice.post(f"/api/v1/calls/{calls['1002'].pk}/lead", {}, content_type="application/json")
    assert again.status_code == 200 and again.json() == {"lead_id": lead.pk, "created": False}
    withheld = alice.post(f"/api/v1/calls/{calls['1004'].pk}/lead", {}, content_type="application/json")
    assert withheld.status_code == 400 and withheld.json()["errors"][0]["field"] == "number"
    # Someone else's call, or another organisation's, is not found.
    assert (
        api_as(acme.bob)
        .post(f"/api/v1/calls/{calls['1003'].pk}/lead", {}, content_type="application/json")
        .status_code
        == 404
    )
    assert Lead.objects.count() == 1


def test_a_call_on_bobs_phone_made_into_a_lead_by_his_manager_is_bobs(acme, as_member):
    open_shift(acme.bob)
    send(paired_client(acme.bob), [call(1, number=UNKNOWN, type="missed", duration_s=0)])
    c = Call.objects.get()
    assert (
        as_member(acme.mani).post(f"/calls/{c.pk}/lead/", {"owner": str(acme.bob.user_id)}).status_code == 302
    )
    assert Lead.objects.get().owner_id == acme.bob.user_id
    assert CallBack.objects.get().assignee_id == acme.bob.user_id
