"""What the consent toggles answer — on the lead page ("Consent recorded.", "No change: that was
already so.", a refusal) and on the profile ("Saved.", "No change.") — is in the person's
language, and a refusal says why in words, not the code's name of the input ("note: …")."""

import pytest


@pytest.fixture
def hindi(acme):
    acme.olga.user.language = "hi"
    acme.olga.user.save(update_fields=["language"])
    return acme


def _said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_lead_pages_consent_answers_in_hindi(hindi, as_member, new_lead):
    lead = new_lead(hindi)
    client = as_member(hindi.olga)
    url = f"/leads/{lead.pk}/consent/"
    given = {"given": "1", "method": "phone", "note": ""}
    assert _said(client.post(url, given, follow=True)) == ["मंज़ूरी दर्ज हो गई।"]
    assert _said(client.post(url, given, follow=True)) == ["कोई बदलाव नहीं: यह पहले से ऐसा ही था।"]
    [refused] = _said(client.post(url, {**given, "given": "0", "note": "x" * 600}, follow=True))
    assert refused.startswith("सेव नहीं हुआ: ") and "note" not in refused


def test_the_profiles_consent_answers_in_hindi(hindi, as_member):
    client = as_member(hindi.olga)
    assert _said(client.post("/profile/marketing/", {"given": "1"}, follow=True)) == ["सेव हो गया।"]
    assert _said(client.post("/profile/marketing/", {"given": "1"}, follow=True)) == ["कोई बदलाव नहीं।"]


def test_in_english(acme, as_member, new_lead):
    lead = new_lead(acme)
    client = as_member(acme.olga)
    given = {"given": "1", "method": "phone"}
    assert _said(client.post(f"/leads/{lead.pk}/consent/", given, follow=True)) == ["Consent recorded."]
    [refused] = _said(client.post(f"/leads/{lead.pk}/consent/", {"given": "0", "method": "fax"}, follow=True))
    assert refused.startswith("Not saved: choose one of:")
