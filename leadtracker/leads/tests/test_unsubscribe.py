"""The signed unsubscribe link: no login, no CSRF token, effect at once, idempotent, RFC 8058
one-click; a tampered or foreign token is a 404; erased leads get a neutral page."""

import re
from urllib.parse import quote

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import delete_leads
from leadtracker.leads.actions.settings import save_message_template
from leadtracker.leads.consent import UNSUBSCRIBE_SALT, unsubscribe_token, unsubscribe_url
from leadtracker.leads.models import ConsentEvent, Lead


@pytest.fixture
def lead(acme, new_lead):
    return new_lead(
        acme, name="Priya Sharma", email="priya@example.in", phones=["98765 43210"], marketing_consent=True
    )


def anonymous():
    # A browser that never logged in, and that Django checks for CSRF tokens like a real one.
    return Client(enforce_csrf_checks=True)


def path_of(lead) -> str:
    return f"/unsubscribe/{unsubscribe_token(lead)}/"


def test_get_shows_the_organisation_and_a_masked_address_only(acme, lead):
    response = anonymous().get(path_of(lead))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Acme" in page and "Stop marketing messages" in page and "p•••@example.in" in page
    assert "Priya" not in page and "priya@" not in page
    lead.refresh_from_db()
    assert lead.marketing_consent  # looking is not withdrawing


def test_post_withdraws_at_once_without_login_or_csrf_token(acme, lead):
    response = anonymous().post(path_of(lead))
    assert response.status_code == 200 and "no more marketing messages" in response.content.decode()
    lead.refresh_from_db()
    assert lead.marketing_consent is False
    event = ConsentEvent.objects.get(lead=lead, given=False)
    assert (event.method, event.recorded_by_id) == ("unsubscribe_link", None)


def test_repeated_post_is_idempotent(acme, lead):
    client = anonymous()
    assert client.post(path_of(lead)).status_code == 200
    assert client.post(path_of(lead)).status_code == 200
    assert ConsentEvent.objects.filter(lead=lead, given=False).count() == 1
    assert "You are not receiving" in client.get(path_of(lead)).content.decode()


def test_rfc8058_one_click_post(acme, lead):
    response = Client(enforce_csrf_checks=True).post(
        path_of(lead), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    lead.refresh_from_db()
    assert not lead.marketing_consent


@pytest.mark.parametrize(
    "token",
    [
        lambda lead: unsubscribe_token(lead)[:-2] + "xx",  # tampered signature
        lambda lead: signing.dumps([lead.organisation_id, lead.pk]),  # signed for another purpose
        lambda lead: signing.dumps([lead.organisation_id, lead.pk + 1], salt="not ours"),
        lambda lead: signing.Signer(salt=UNSUBSCRIBE_SALT).sign("1.x"),  # not our shape
        lambda lead: signing.Signer(salt=UNSUBSCRIBE_SALT).sign("1.٣"),  # digits, not ASCII
        lambda lead: "garbage",
    ],
)
def test_a_token_we_did_not_sign_is_404_and_changes_nothing(acme, lead, token):
    value = token(lead)
    assert anonymous().get(f"/unsubscribe/{value}/").status_code == 404
    assert anonymous().post(f"/unsubscribe/{value}/").status_code == 404
    lead.refresh_from_db()
    assert lead.marketing_consent and not ConsentEvent.objects.filter(given=False).exists()


def test_another_organisations_lead_cannot_be_reached(acme, globex, lead, new_lead):
    theirs = new_lead(globex, name="Globex lead", phone="91234 56789", marketing_consent=True)
    # A token naming our organisation with their lead's id (as if ids were guessed and signed).
    crossed = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{acme.org.pk}.{theirs.pk}")
    response = anonymous().post(f"/unsubscribe/{crossed}/")
    assert response.status_code == 200 and "Globex" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.marketing_consent and not ConsentEvent.objects.filter(lead=theirs, given=False).exists()
    missing_org = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{10**9}.{theirs.pk}")
    assert anonymous().get(f"/unsubscribe/{missing_org}/").status_code == 404


def test_an_erased_or_deleted_lead_gets_a_neutral_page(acme, lead, new_lead):
    Lead.objects.filter(pk=lead.pk).update(erased_at=timezone.now())
    for method in ("get", "post"):
        response = getattr(anonymous(), method)(path_of(lead))
        assert response.status_code == 200 and "holds nothing more" in response.content.decode()
    assert not ConsentEvent.objects.filter(lead=lead, given=False).exists()
    gone = new_lead(acme, name="Gone", phone="91234 56789", marketing_consent=True)
    path = path_of(gone)
    delete_leads(Lead.objects.filter(pk=gone.pk), actor=Actor.system(), by=acme.olga)
    assert "holds nothing more" in anonymous().post(path).content.decode()


def test_rate_limited_like_other_public_endpoints(acme, lead, settings):
    settings.API_RATE_ANONYMOUS = "3/m"
    client = anonymous()
    codes = [client.get(path_of(lead)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_link_reaches_message_templates_and_the_api(acme, lead, as_member, api_as):
    save_message_template(
        acme.org, name="Offer", body="Hello {name}. Stop: {unsubscribe_url}", actor=Actor.system()
    )
    page = as_member(acme.olga).get(f"/leads/{lead.pk}/").content.decode()
    assert quote(unsubscribe_url(lead)) in page  # in the WhatsApp text
    out = api_as(acme.olga).get(f"/api/v1/leads/{lead.pk}").json()
    assert out["unsubscribe_url"] == unsubscribe_url(lead)
    listed = api_as(acme.olga).get("/api/v1/leads").json()["items"]
    assert [i["unsubscribe_url"] for i in listed] == [unsubscribe_url(lead)]
    path = re.sub(r"^https?://[^/]+", "", out["unsubscribe_url"])
    assert anonymous().post(path).status_code == 200
    lead.refresh_from_db()
    assert not lead.marketing_consent


def test_the_token_is_djangos_signature_and_survives_a_key_rotation(acme, lead, settings):
    # Signed with a key derived once (for lists), it must equal what Signer itself makes.
    assert unsubscribe_token(lead) == signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{acme.org.pk}.{lead.pk}")
    path = path_of(lead)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert path_of(lead) != path
    assert anonymous().post(path).status_code == 200  # an old message's link still works
    lead.refresh_from_db()
    assert not lead.marketing_consent
