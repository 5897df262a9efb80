"""What the calls pages and API say back — a question before revoking a phone, the message
after it, a lead made from a call, an API refusal — in the person's language (issue 20 §3)."""

import pytest

from leadtracker.calls.models import Call
from leadtracker.testing import call, html_region, login_client, paired_client, send, token_client


def speaks_hindi(member):
    member.user.language = "hi"
    member.user.save(update_fields=["language"])
    return member


def test_revoking_a_phone_asks_and_answers_in_hindi(acme):
    phone = paired_client(acme.alice, name="Redmi")
    client = login_client(speaks_hindi(acme.maya))
    asked = client.post(f"/devices/{phone.device.pk}/revoke/")
    assert html_region(asked.content, "confirm-title").text == "Alice Acme का फ़ोन “Redmi” रद्द करें?"
    assert "यह तुरंत सिंक करना बंद कर देगा" in html_region(asked.content, "confirm-form").text
    done = client.post(f"/devices/{phone.device.pk}/revoke/", {"confirm": "yes"}, follow=True)
    assert "“Redmi” रद्द हो गया; अब यह सिंक नहीं कर सकता।" in done.content.decode()


@pytest.mark.django_db
def test_a_lead_from_a_call_in_hindi(acme, phone):
    assert send(phone, [call(1, number="+919812345678", minutes_ago=30)]).status_code == 200
    made = Call.objects.get()
    client = login_client(speaks_hindi(acme.alice))
    page = client.get(f"/calls/{made.pk}/lead/").content.decode()
    assert "<h1>कॉल से नई लीड</h1>" in page and "लीड बनाएँ</button>" in page and "कॉल का नंबर" in page
    assert "New lead from a call" not in page
    done = client.post(f"/calls/{made.pk}/lead/", {"name": "Asha Sharma"}, follow=True)
    assert "कॉल से लीड “Asha Sharma” बन गई।" in done.content.decode()


def test_an_api_refusal_in_hindi(acme):
    response = token_client(speaks_hindi(acme.alice)).get("/api/v1/calls?direction=sideways")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "direction", "message": "in या out में से एक हो"}]


def test_a_refused_outcome_in_hindi(acme):
    client = login_client(speaks_hindi(acme.adam))
    response = client.post("/calls/outcomes/", {"name": "Interested", "is_active": "on"})
    assert response.status_code == 422
    assert "इस नाम का नतीजा पहले से है" in response.content.decode()
