"""IndiaMART's push: answered 200 whatever comes; what cannot become a lead is logged as
failed with the reason, on the health panel, and can be replayed."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.actions import replay_payload
from leadtracker.integrations.indiamart.tests.fake_indiamart import enquiry
from leadtracker.integrations.models import PayloadStatus
from leadtracker.integrations.tests.util import connector, post_json, work_off
from leadtracker.leads.models import Lead, LeadStatus, StatusKind


@pytest.fixture
def seller(acme):
    made, _ = connector(acme, "indiamart")  # push only: no key
    return made


def push(client, seller, body):
    return post_json(client, seller, body)


def test_a_push_becomes_a_lead(acme, seller, client):
    sent = enquiry(
        5, at=dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC), QUERY_TYPE="B", SENDER_MOBILE_ALT="n/a"
    )
    answer = push(client, seller, {"CODE": 200, "STATUS": "SUCCESS", "RESPONSE": sent})
    assert answer.status_code == 200
    assert answer.json()["CODE"] == 200
    work_off()
    lead = Lead.objects.get(organisation=acme.org)
    assert lead.phone == "+919800000005"
    assert lead.extra["attribution"] == "IndiaMART: Steel Almirah"
    notes = "\n".join(lead.activities.values_list("body", flat=True))
    # The kind of enquiry in words, and the alternate "number" that is none kept as said.
    assert "BuyLead you bought on IndiaMART" in notes
    assert "Another number given: n/a" in notes


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "could not be read"),
        ({"CODE": 200, "STATUS": "SUCCESS"}, "no RESPONSE"),
        (
            {"CODE": 200, "STATUS": "SUCCESS", "RESPONSE": {"SENDER_NAME": "Ravi"}},
            "UNIQUE_QUERY_ID is missing",
        ),
        (
            {"CODE": 200, "STATUS": "SUCCESS", "RESPONSE": {"UNIQUE_QUERY_ID": "9", "SENDER_NAME": "Ravi"}},
            "SENDER_MOBILE is missing",
        ),
    ],
)
def test_a_bad_push_is_answered_200_and_logged_failed(acme, seller, client, body, reason):
    answer = push(client, seller, body)
    assert answer.status_code == 200
    (payload,) = work_off()
    assert payload.status == PayloadStatus.FAILED
    assert reason in payload.error
    seller.refresh_from_db()
    assert reason in seller.last_error
    assert not Lead.objects.filter(organisation=acme.org).exists()


def test_a_failed_push_is_replayed_after_the_fix(acme, seller, client):
    # The organisation closed its last open status: no lead can be made until one is back.
    LeadStatus.objects.filter(organisation=acme.org, kind=StatusKind.OPEN).update(is_active=False)
    push(client, seller, {"CODE": 200, "STATUS": "SUCCESS", "RESPONSE": enquiry(8, at=timezone.now())})
    (payload,) = work_off()
    assert payload.status == PayloadStatus.FAILED
    assert "no open status" in payload.error
    LeadStatus.objects.filter(organisation=acme.org, kind=StatusKind.OPEN).update(is_active=True)
    replay_payload(payload, actor=Actor.for_user(acme.adam.user))
    (done,) = work_off()
    assert done.status == PayloadStatus.DONE
    assert Lead.objects.get(organisation=acme.org).phone == "+919800000008"


def test_a_bare_get_checking_the_url_is_answered_and_nothing_kept(acme, seller, client):
    answer = client.get(f"/integrations/hook/{seller.url_token}")
    assert answer.status_code == 200
    assert answer.json()["CODE"] == 200
    assert not work_off()


def test_a_known_buyer_comes_back_on_their_lead_instead_of_a_duplicate(acme, seller, client, new_lead):
    known = new_lead(acme, name="Ravi", phone="+919800000009", owner=acme.alice)
    push(client, seller, {"CODE": 200, "STATUS": "SUCCESS", "RESPONSE": enquiry(9, at=timezone.now())})
    (payload,) = work_off()
    assert payload.status == PayloadStatus.DUPLICATE
    assert payload.lead_id == known.pk
    assert Lead.objects.filter(organisation=acme.org).count() == 1
    notes = "\n".join(known.activities.values_list("body", flat=True))
    assert "Came back through IndiaMART: Steel Almirah." in notes
