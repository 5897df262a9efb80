"""Automation in Hindi (issue 20 §3): an admin who reads Hindi sees the rules page, the rule
builder and its refusals in Hindi — the headings, the triggers, the buttons — and none of the
English headings; an API refusal's message is in the token holder's language too."""

from html import unescape

import pytest

from leadtracker.testing import login_client, token_client


def _hindi(member):
    member.user.language = "hi"
    member.user.save(update_fields=["language"])
    return member


def _page(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


@pytest.mark.django_db
def test_the_rules_page_in_hindi(acme):
    page = _page(login_client(_hindi(acme.olga)).get("/settings/automation/"))
    assert "<h1>ऑटोमेशन</h1>" in page
    assert "नियम बनाएँ" in page and "तैयार नियम जोड़ें" in page and ">जोड़ें</button>" in page
    assert "5 मिनट में कॉल: लीड मिलने के 5 मिनट बाद" in page  # a template, described
    assert "Automation</h1>" not in page and "Build a rule" not in page and "Add from a template" not in page


@pytest.mark.django_db
def test_the_rule_builder_in_hindi(acme):
    client = login_client(_hindi(acme.olga))
    page = _page(client.get("/settings/automation/build/"))
    assert "<h1>नया नियम</h1>" in page
    for words in ("N मिनट पहले लीड दी और कॉल नहीं हुई", "तब (इसी क्रम में)", "एक और काम जोड़ें", "सेव करें"):
        assert words in page
    assert "<h1>New rule</h1>" not in page and "Then (in order)" not in page
    refused = client.post(
        "/settings/automation/build/",
        {"name": "SLA", "trigger": "not_called", "wait_unit": "minutes", "action_count": "1", "save": "1"},
    )
    assert refused.status_code == 422
    assert "कितनी देर बाद, यह लिखें" in _page(refused)


@pytest.mark.django_db
def test_an_api_refusal_in_hindi(acme):
    body = {
        "name": "X",
        "trigger": "lead_created",
        "conditions": {"status_ids": "Lost"},
        "actions": [{"type": "add_tag", "tag": "x"}],
    }
    answer = token_client(_hindi(acme.adam)).post("/api/v1/rules", body, content_type="application/json")
    assert answer.json()["errors"][0]["message"] == ("शर्तें → स्टेटस: बगल की लिस्ट से स्टेटस के नंबर, जैसे [12, 14]")
