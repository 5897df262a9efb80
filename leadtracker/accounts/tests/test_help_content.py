"""The Help page says how pairing works, what is tracked and when, who sees what and how to get
or erase one's data — in the organisation's words, for every role — and keeps the support form."""

import pytest

from leadtracker.testing import html_region


@pytest.mark.parametrize("who, role", [("alice", "agent"), ("maya", "manager"), ("olga", "owner")])
def test_help_explains_pairing_tracking_roles_and_data(acme, as_member, who, role):
    response = as_member(getattr(acme, who)).get("/help/")
    assert response.status_code == 200
    pairing = html_region(response.content, "pairing").text
    for step in ("Make a pairing code", "15 minutes", "Termux:API", "paste it into Termux"):
        assert step in pairing, step
    tracking = html_region(response.content, "tracking").text
    facts = ("Only between punch-in and punch-out", "nothing is recorded", "SMS are never read", "by hand")
    for fact in facts:
        assert fact in tracking, fact
    roles = html_region(response.content, "roles").text
    assert "Agent" in roles and "Manager" in roles and "Admin and owner" in roles
    assert f"You are {role} in Acme" in roles
    data = html_region(response.content, "your-data").text
    assert "copy" in data and "erased" in data
    page = response.content.decode()
    assert f'href="/privacy/{acme.org.slug}/"' in page and 'href="/devices/"' in page
    assert html_region(response.content, "ask") is not None
