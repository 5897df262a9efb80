"""A refusal shown on a page that redirects (a follow-up planned from the lead page, a settings
card, a saved view) names the field by the label the person reads, in their language, then the
reason — never by the code's name for it ("due_at: …", "name: …", "url: …"), which means nothing
to a telecaller in English or in Hindi (issue 20 §3)."""

import pytest

from leadtracker.leads.models import FollowUp, SavedView, Tag, WebhookEndpoint
from leadtracker.testing import hindi_client, login_client

FAR = "9999-12-31T23:59"
CODE_NAMES = ("due_at:", "name:", "url:")


def _said(response) -> list[str]:
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def _no_code_name(said: list[str]) -> None:
    assert not any(code in text for text in said for code in CODE_NAMES), said


@pytest.mark.parametrize(
    ("client_of", "expected"),
    [
        (login_client, "When: is more than 5 years in the future"),
        (hindi_client, "कब: 5 साल से ज़्यादा आगे का है"),
    ],
)
def test_a_refused_follow_up(acme, new_lead, client_of, expected):
    lead = new_lead(acme, name="Raj", by=acme.alice)
    said = _said(
        client_of(acme.alice).post(
            f"/leads/{lead.pk}/follow-up/",
            {"due_at": FAR, "kind": "call", "note": "", "remind_minutes_before": 15},
            follow=True,
        )
    )
    assert said == [expected]
    _no_code_name(said)
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("client_of", "expected"),
    [
        (login_client, ["Name: give the tag a name", "URL: must be an http:// or https:// address"]),
        (hindi_client, ["नाम: टैग का नाम लिखें", "URL: http:// या https:// वाला पता होना चाहिए"]),
    ],
)
def test_a_refused_settings_card(acme, client_of, expected):
    client = client_of(acme.olga)
    tag = _said(client.post("/leads/settings/tags/", {"name": "  "}, follow=True))
    hook = _said(
        client.post(
            "/leads/settings/webhooks/",
            {"url": "ftp://example.com/hook", "events": ["lead.created"]},
            follow=True,
        )
    )
    assert tag + hook == expected
    _no_code_name(tag + hook)
    assert not Tag.objects.filter(organisation=acme.org).exists()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("client_of", "expected"),
    [(login_client, "Name: give the view a name"), (hindi_client, "नाम: व्यू का नाम लिखें")],
)
def test_a_refused_saved_view(acme, client_of, expected):
    said = _said(client_of(acme.alice).post("/leads/views/", {"name": "", "query": "q=raj"}, follow=True))
    assert said == [expected]
    _no_code_name(said)
    assert not SavedView.objects.exists()
