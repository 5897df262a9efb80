"""Click-to-call through Exotel (issue 19 item 6): the button's form POST asks Exotel's
"connect two numbers" API — a fake on loopback — to ring the agent's phone, then the lead, from
the ExoPhone, reporting to the connector's secret URL; never with a recording. Checked on the
server: another organisation's lead is a 404, a person with no phone number is told what to set."""

import base64

from django.contrib.messages import get_messages

from leadtracker.accounts.models import AuditEvent
from leadtracker.integrations.exotel.tests.conftest import EXOPHONE
from leadtracker.integrations.selectors import hook_url


def _said(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


def test_the_button_asks_exotel_to_connect_the_agent_and_the_lead(acme, exotel, line, as_member, new_lead):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice, name="Asha Sharma", phone="98765 43210")
    client = as_member(acme.alice)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f'action="/integrations/call/{lead.pk}/"' in page and "Call via Exotel" in page

    response = client.post(f"/integrations/call/{lead.pk}/", {"back": "/queue/"})

    assert response.status_code == 302 and response["Location"] == "/queue/"
    assert len(exotel.calls) == 1
    sent = exotel.calls[0]
    assert sent["path"] == "/v1/Accounts/acme1/Calls/connect.json"
    assert sent["auth"] == "Basic " + base64.b64encode(b"key1:token1").decode()
    form = exotel.form()
    assert form["From"] == "+919900112345"  # the agent's phone, rung first
    assert form["To"] == "+919876543210"  # then the lead
    assert form["CallerId"] == EXOPHONE
    assert form["StatusCallback"] == hook_url(line) and line.url_token in form["StatusCallback"]
    assert form["CustomField"] == f"{acme.alice.user_id}:{lead.pk}"
    assert form["Record"] == "false"
    assert any("Exotel is ringing your phone" in m for m in _said(response))
    event = AuditEvent.objects.get(action="telephony.click_to_call")
    assert event.object_id == str(lead.pk) and "98765" not in str(event.changes)


def test_an_agent_without_a_phone_number_is_told_where_to_set_it(acme, exotel, line, as_member, new_lead):
    lead = new_lead(acme, owner=acme.alice)
    response = as_member(acme.alice).post(f"/integrations/call/{lead.pk}/")
    assert response.status_code == 302
    assert exotel.calls == []
    (message,) = _said(response)
    assert "your phone number is not set" in message and "Profile → Your phone" in message


def test_another_organisations_lead_is_a_404_and_nothing_is_dialled(
    acme, globex, exotel, line, as_member, new_lead
):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    theirs = new_lead(globex, name="Not yours")
    assert as_member(acme.alice).post(f"/integrations/call/{theirs.pk}/").status_code == 404
    assert exotel.calls == []


def test_a_colleagues_lead_the_agent_cannot_open_is_a_404(acme, exotel, line, as_member, new_lead):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    bobs = new_lead(acme, owner=acme.bob)
    assert as_member(acme.alice).post(f"/integrations/call/{bobs.pk}/").status_code == 404
    assert exotel.calls == []


def test_exotels_refusal_is_shown_in_its_own_words(acme, exotel, line, as_member, new_lead):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice)
    exotel.fail = (400, {"RestException": {"Status": 400, "Message": "CallerId is not a valid ExoPhone"}})
    response = as_member(acme.alice).post(f"/integrations/call/{lead.pk}/")
    assert any("Exotel refused the call: CallerId is not a valid ExoPhone" in m for m in _said(response))


def test_without_a_line_there_is_no_button_and_the_url_says_so(acme, as_member, new_lead):
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice)
    client = as_member(acme.alice)
    assert "/integrations/call/" not in client.get(f"/leads/{lead.pk}/").content.decode()
    response = client.post(f"/integrations/call/{lead.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    assert any("no telephony line is set up" in m for m in _said(response))


def test_exotels_refusal_is_told_in_the_agents_language(acme, exotel, line, new_lead):
    from leadtracker.testing import hindi_client

    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    lead = new_lead(acme, owner=acme.alice)
    exotel.fail = (401, {})  # the account's key was changed: Exotel gives no words of its own
    response = hindi_client(acme.alice).post(f"/integrations/call/{lead.pk}/")
    assert _said(response) == ["कॉल नहीं हुई: Exotel ने कॉल नहीं लगाई: api_key या api_token गलत है।"]
