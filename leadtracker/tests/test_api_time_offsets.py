"""A time whose UTC offset is past ±15:59 is refused before the handler runs, the same on both
databases: 422 naming the field, nothing written. (Python and the schemas take offsets up to
±23:59; PostgreSQL refuses past ±15:59 while SQLite stores the UTC that Django converts to.)"""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call
from leadtracker.leads.models import FollowUp
from leadtracker.testing import call, open_shift, paired_client, send

OFFSET_MESSAGE = "a UTC offset of at most ±15:59"


def an_hour_ago(hours: int, minutes: int = 0) -> str:
    zone = dt.timezone(dt.timedelta(hours=hours, minutes=minutes))
    return (timezone.now() - dt.timedelta(hours=1)).astimezone(zone).replace(microsecond=0).isoformat()


def log_call(client, **fields):
    return client.post(
        "/api/v1/calls", data={"number": "98765 43210", **fields}, content_type="application/json"
    )


def test_a_manual_call_at_plus_18_hours_is_refused_naming_the_field(acme, api_as):
    client = api_as(acme.alice)
    before = (Call.objects.count(), AuditEvent.objects.count())
    response = log_call(client, started_at=an_hour_ago(18))
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "started_at", "message": OFFSET_MESSAGE}]
    assert response.json()["detail"] == f"started_at: {OFFSET_MESSAGE}"
    assert (Call.objects.count(), AuditEvent.objects.count()) == before


def test_a_nested_time_is_named_by_its_path(acme, api_as):
    client = api_as(acme.alice)
    due = (timezone.now() + dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=-16)))
    response = log_call(client, follow_up={"due_at": due.isoformat()})
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "follow_up.due_at", "message": OFFSET_MESSAGE}]
    assert not Call.objects.exists() and not FollowUp.objects.exists()


def test_offsets_up_to_15_59_pass(acme, api_as):
    client = api_as(acme.alice)
    for n, (hours, minutes) in enumerate(((15, 59), (-15, -59), (14, 0))):
        started_at = an_hour_ago(hours, minutes)
        response = log_call(client, started_at=started_at, number=f"98765 4321{n}")
        assert response.status_code == 201, response.content
        stored = Call.objects.get(pk=response.json()["id"]).started_at
        assert stored == dt.datetime.fromisoformat(started_at)


def test_a_query_parameter_at_plus_18_hours_is_refused_naming_it(acme, api_as):
    since = an_hour_ago(18).replace("+", "%2B")
    response = api_as(acme.olga).get(f"/api/v1/audit-events?since={since}")
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "since", "message": OFFSET_MESSAGE}]
    assert (
        api_as(acme.olga)
        .get(f"/api/v1/audit-events?since={an_hour_ago(5, 30).replace('+', '%2B')}")
        .status_code
        == 200
    )


def test_a_synced_call_at_plus_18_hours_is_the_same_instant_on_both_databases(acme):
    """The sync reads started_at as text and turns it into UTC before storing it, so both
    databases keep the instant the phone meant: nothing to refuse there. (The protocol rejects
    a row, not the batch, for a bad time; an offset limit for sync would be one of those.)"""
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    row = call(0, started_at=an_hour_ago(18))
    response = send(phone, [row])
    assert response.status_code == 200, response.content
    assert response.json()["stored"] == 1
    assert Call.objects.get().started_at == dt.datetime.fromisoformat(row["started_at"])
