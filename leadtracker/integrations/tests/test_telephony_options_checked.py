"""A telephony connector's options are checked when saved: an Exotel API host that is not one
of Exotel's hosts, or a caller id that is not a phone number, is refused naming the field. And
whatever was stored before those checks, an agent's "Call via …" never ends in a 500: a host
that is no URL reads like one out of reach ("Not called: … could not be reached")."""

import pytest
from django.contrib.messages import get_messages

from leadtracker.integrations.models import Connector
from leadtracker.integrations.tests.util import connector
from leadtracker.testing import login_client

EXOTEL = {"name": "Office", "sid": "acme1", "api_key": "k", "api_token": "t", "caller_id": "080 4709 1234"}


def test_a_bad_api_host_or_caller_id_is_refused_naming_the_field(acme):
    admin = login_client(acme.adam)
    page = admin.post(
        "/settings/integrations/add/exotel/", {**EXOTEL, "subdomain": "not a host!!"}
    ).content.decode()
    assert "<strong>API host:</strong> not an API host of exotel.com" in page
    assert not Connector.objects.exists()
    page = admin.post("/settings/integrations/add/exotel/", {**EXOTEL, "caller_id": "abc"}).content.decode()
    assert "<strong>ExoPhone (caller id):</strong> not a phone number" in page
    assert not Connector.objects.exists()
    page = admin.post(
        "/settings/integrations/add/twilio/", {"account_sid": "AC1", "auth_token": "t", "caller_id": "abc"}
    ).content.decode()
    assert "<strong>Twilio number (caller id):</strong> not a phone number" in page
    assert not Connector.objects.exists()

    # The region's host, written as a URL, is kept as the host; an edit is checked the same way.
    admin.post("/settings/integrations/add/exotel/", {**EXOTEL, "subdomain": "https://api.in.exotel.com/"})
    made = Connector.objects.get()
    assert made.options["subdomain"] == "api.in.exotel.com"
    url = f"/settings/integrations/{made.pk}/"
    edit = admin.post(url, {"name": "Office", "is_active": "on", "caller_id": "abc"})
    assert edit.status_code == 200 and "not a phone number" in edit.content.decode()
    edit = admin.post(url, {"name": "Office", "is_active": "on", "subdomain": "169.254.169.254"})
    assert edit.status_code == 200 and "not an API host of exotel.com" in edit.content.decode()
    made.refresh_from_db()
    assert made.options["caller_id"] == "080 4709 1234" and made.options["subdomain"] == "api.in.exotel.com"


@pytest.mark.parametrize("kind", ["exotel", "twilio"])
def test_a_host_that_is_no_url_is_not_called_in_words(acme, new_lead, settings, kind):
    """A connector saved before the checks (its options written as they were)."""
    acme.alice.user.phone = "99001 12345"
    acme.alice.user.save()
    if kind == "exotel":
        settings.EXOTEL_API_URL = "https://api.exotel.com"
        line, _ = connector(acme, "exotel", sid="a", api_key="k", api_token="t", caller_id="08047091234")
        Connector.objects.filter(pk=line.pk).update(options={**line.options, "subdomain": "not a host!!"})
    else:
        settings.TWILIO_API_URL = "https://not a host!!"
        connector(acme, "twilio", account_sid="AC1", auth_token="t", caller_id="+918047001234")
    lead = new_lead(acme, owner=acme.alice, phone="98765 43210")
    response = login_client(acme.alice).post(f"/integrations/call/{lead.pk}/")
    assert response.status_code == 302
    (said,) = [m.message for m in get_messages(response.wsgi_request)]
    assert said == f"Not called: {kind.capitalize()} could not be reached; try again in a minute."
