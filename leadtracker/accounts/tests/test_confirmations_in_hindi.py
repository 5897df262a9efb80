"""The questions asked before revoking a token and deactivating a member are in the admin's
language, counts in their plural: they were built as English f-strings, which the translation
check did not see (it now reads a confirm.Question's title, button and details)."""

from leadtracker.accounts.actions import create_api_token
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import ApiToken, Membership
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.testing import html_region


def _in_hindi(member):
    member.user.language = "hi"
    member.user.save(update_fields=["language"])


def test_revoking_a_token_asks_in_hindi(acme, as_member):
    _in_hindi(acme.alice)
    token, _raw = create_api_token(acme.alice, name="Zapier", actor=Actor.system())
    response = as_member(acme.alice).post(f"/tokens/{token.pk}/revoke/")
    assert html_region(response.content, "confirm-title").text == "टोकन “Zapier” रद्द करें?"
    asked = html_region(response.content, "confirm-form").text
    assert "जो भी इसे इस्तेमाल करता है, वह अभी काम करना बंद कर देगा।" in asked
    assert "इसे कभी इस्तेमाल नहीं किया गया।" in asked and "never" not in asked
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_deactivating_asks_in_hindi_with_its_counts(acme, as_member, api_as):
    _in_hindi(acme.adam)
    create_api_token(acme.maya, name="one", actor=Actor.system())
    api_as(acme.maya, kind="device")
    ApiToken.objects.filter(user=acme.maya.user, kind="personal", name="test").delete()
    data = LeadData(name="L0", phones=["98765 43210"], owner_id=acme.maya.user_id)
    create_lead(acme.org, data, actor=Actor.system(), by=acme.olga)

    response = as_member(acme.adam).post(f"/members/{acme.maya.pk}/", {"deactivate": ""})

    assert html_region(response.content, "confirm-title").text == "Maya Acme को बंद करें?"
    asked = html_region(response.content, "confirm-form").text
    assert "Maya अभी Acme से साइन आउट हो जाएँगे" in asked
    assert "उनके 1 API टोकन और 1 फ़ोन काम करना बंद कर देंगे।" in asked
    assert "उनके नीचे काम करने वाले 2 लोग Olga Owner के नीचे चले जाएँगे।" in asked
    assert "उनकी 1 लीड तब तक उन्हीं की रहेगी" in asked
    assert "आप उन्हें बाद में फिर चालू कर सकते हैं।" in asked
    assert "stop working" not in asked and "reactivate" not in asked
    assert Membership.objects.get(pk=acme.maya.pk).is_active


def test_one_of_a_kind_reads_in_the_singular_in_english(acme, as_member):
    create_api_token(acme.maya, name="one", actor=Actor.system())
    ApiToken.objects.filter(user=acme.maya.user, kind="personal", name="test").delete()
    response = as_member(acme.adam).post(f"/members/{acme.maya.pk}/", {"deactivate": ""})
    assert "Their 1 API token stops working." in html_region(response.content, "confirm-form").text
