"""The click-to-call button costs one cheap statement a request, whether or not the
organisation has a telephony line: the lead page and the calling queue are counted without a
line and with one (the same count, one statement on the connectors, reading two columns)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.integrations.tests.util import connector
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.testing import make_lead

BUTTON = "Call via Exotel"


def _counted(client, path: str) -> tuple[list[str], str]:
    client.get(path)  # the session's first read of the organisation and its settings
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode()


def _on_connectors(statements: list[str]) -> list[str]:
    return [sql for sql in statements if "integrations_connector" in sql]


@pytest.mark.django_db
def test_the_lead_page_and_the_queue_cost_the_same_with_a_line_or_without(acme, as_member):
    for n in range(3):  # a queue of several cards: still one look-up
        lead = make_lead(acme, owner=acme.alice, phone=f"98700 300{n:02d}")
        schedule_follow_up(
            lead,
            due_at=timezone.now() - dt.timedelta(hours=1),
            actor=Actor.for_user(acme.alice.user),
            by=acme.alice,
        )
    agent = as_member(acme.alice)
    pages = (f"/leads/{lead.pk}/", "/queue/")
    without = {path: _counted(agent, path) for path in pages}
    connector(acme, "exotel", sid="acme1", api_key="key1", api_token="token1", caller_id="08047091234")
    with_line = {path: _counted(agent, path) for path in pages}
    for path in pages:
        (before, page_before), (after, page_after) = without[path], with_line[path]
        assert BUTTON not in page_before and BUTTON in page_after, path
        assert len(after) == len(before), (path, len(before), len(after))
        (lookup,) = _on_connectors(after)
        assert _on_connectors(before) == [lookup]  # the same statement, with or without a line
        # Two columns, no join: never the sealed secrets or the organisation's row.
        assert "sealed_secrets" not in lookup and "JOIN" not in lookup.upper(), lookup
