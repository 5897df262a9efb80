"""JustDial's lead push through the real hook: the secret checked, one lead per leadid,
answered RECEIVED, bad pushes logged as failed with the reason."""

import pytest

from leadtracker.integrations.models import Payload, PayloadStatus
from leadtracker.integrations.tests.util import connector, hook_path, work_off
from leadtracker.leads.models import Lead


def push(n: int = 1, **extra) -> dict:
    """A push in JustDial's shape."""
    body = {
        "leadid": f"0602612A{n:05d}",
        "leadtype": "company",
        "prefix": "Mr",
        "name": f"Suresh {n}",
        "mobile": f"98{n:08d}",
        "phone": "",
        "email": f"suresh{n}@example.in",
        "date": "2026-12-06",
        "time": "14:05:31",
        "category": "Interior Designers",
        "city": "Pune",
        "area": "Kothrud",
        "brancharea": "Baner",
        "dncmobile": "1",
        "dncphone": "0",
        "company": "",
        "pincode": "411038",
        "branchpin": "411045",
        "parentid": "PXX20.XX20.180101120000.A1B2",
    }
    body.update(extra)
    return body


@pytest.fixture
def justdial(acme):
    return connector(acme, "justdial")


def test_a_push_becomes_a_lead_and_five_repeats_stay_one(acme, justdial, client):
    made, generated = justdial
    url = f"{hook_path(made)}?secret={generated['secret']}"
    for _ in range(5):
        answer = client.post(url, push(1))  # form-encoded, as JustDial posts
        assert answer.status_code == 200
        assert answer.content == b"RECEIVED"
    work_off()
    lead = Lead.objects.get(organisation=acme.org)
    assert (lead.name, lead.phone, lead.city) == ("Mr Suresh 1", "+919800000001", "Pune")
    assert lead.extra["attribution"] == "JustDial: Interior Designers"
    notes = "\n".join(lead.activities.values_list("body", flat=True))
    assert "Kothrud, Pune, 411038" in notes
    assert "DND registry" in notes
    assert Payload.objects.filter(connector=made).count() == 1


def test_the_secret_may_come_in_a_header_or_a_query_string(acme, justdial, client):
    made, generated = justdial
    assert client.post(
        hook_path(made), push(2), headers={"X-LeadTracker-Secret": generated["secret"]}
    ).content == (b"RECEIVED")
    # Some JustDial accounts send a GET with every field in the query string.
    assert client.get(hook_path(made), {**push(3), "secret": generated["secret"]}).content == b"RECEIVED"
    work_off()
    assert Lead.objects.filter(organisation=acme.org).count() == 2
    assert all("secret" not in p.body for p in Payload.objects.all())


@pytest.mark.parametrize("secret", [None, "", "not-it"])
def test_without_the_secret_it_is_refused_and_nothing_kept(acme, justdial, client, secret):
    made, _ = justdial
    url = hook_path(made) + (f"?secret={secret}" if secret is not None else "")
    answer = client.post(url, push(4))
    assert answer.status_code == 403
    assert not Payload.objects.exists()


def test_a_push_without_a_number_fails_in_the_log_with_the_reason(acme, justdial, client):
    made, generated = justdial
    answer = client.post(f"{hook_path(made)}?secret={generated['secret']}", push(5, mobile=""))
    assert answer.content == b"RECEIVED"
    (payload,) = work_off()
    assert payload.status == PayloadStatus.FAILED
    assert payload.error == "mobile is missing: no number to call"
    made.refresh_from_db()
    assert made.last_error == payload.error


def test_a_bare_get_checking_the_url_is_answered_and_nothing_kept(acme, justdial, client):
    made, generated = justdial
    assert client.get(f"{hook_path(made)}?secret={generated['secret']}").content == b"RECEIVED"
    assert not Payload.objects.exists()
