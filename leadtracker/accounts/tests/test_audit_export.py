"""Owners and admins browse the audit log by who, what, which object and when, and export
what they filtered as a streamed CSV — formula-safe, dated the organisation's way, and itself
audited. Nobody else may, and another organisation's events never appear."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import ActorKind, AuditEvent, Organisation


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def log(acme, globex):
    """A few events by different people, one of them with a hostile user agent."""
    alice = Actor(kind=ActorKind.USER, user=acme.alice.user, user_agent='=HYPERLINK("http://x","y")')
    record("lead.view", organisation=acme.org, actor=alice, object_type="lead", object_id="41")
    record(
        "lead.view",
        organisation=acme.org,
        actor=Actor.for_user(acme.carl.user),
        object_type="lead",
        object_id="42",
    )
    record(
        "call.export", organisation=acme.org, actor=Actor.for_user(acme.carl.user), changes={"format": "csv"}
    )
    record(
        "lead.view",
        organisation=globex.org,
        actor=Actor.for_user(globex.alice.user),
        object_type="lead",
        object_id="41",
    )


def test_the_page_filters_by_who_what_and_object(acme, log, as_member):
    admin = as_member(acme.adam)
    page = admin.get("/audit/", {"actor": acme.carl.user_id, "action": "lead."}).content.decode()
    viewed = '<code class="muted">lead.view</code>'  # beside its words, "Opened a lead"
    assert page.count(viewed) == 1 and "lead 42" in page and "lead 41" not in page
    page = admin.get("/audit/", {"object_type": "lead", "object_id": "41"}).content.decode()
    assert page.count(viewed) == 1 and '<td data-label="Who">Alice Acme</td>' in page


def test_dates_are_whole_days_in_the_organisations_zone_and_checked(acme, log, as_member):
    admin = as_member(acme.adam)
    today = timezone.now().astimezone(acme.org.tzinfo).date()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert (
        "lead 42"
        in admin.get("/audit/", {"since": today.isoformat(), "until": today.isoformat()}).content.decode()
    )
    assert "lead 42" not in admin.get("/audit/", {"until": yesterday}).content.decode()
    response = admin.get("/audit/", {"since": today.isoformat(), "until": yesterday})
    assert "must be on or after the From date" in response.content.decode()
    response = admin.get("/audit/export.csv", {"since": today.isoformat(), "until": yesterday})
    assert response.status_code == 400 and "must be on or after the From date" in response.content.decode()


def test_export_applies_the_filters_is_formula_safe_and_is_audited(acme, log, as_member):
    admin = as_member(acme.adam)
    rows = csv_rows(admin.get("/audit/export.csv", {"action": "lead.view"}))
    assert [(r["action"], r["object_id"]) for r in rows] == [("lead.view", "42"), ("lead.view", "41")]
    assert rows[1]["user_agent"] == '\'=HYPERLINK("http://x","y")'
    assert rows[1]["actor"] == "Alice Acme" and rows[1]["actor_user_id"] == str(acme.alice.user_id)
    (export,) = AuditEvent.objects.filter(organisation=acme.org, action="audit.export")
    assert export.actor_user == acme.adam.user
    assert export.changes == {"format": "csv", "filters": {"action": "lead.view"}}


def test_export_keeps_no_searched_number_in_its_own_event(acme, log, as_member):
    csv_rows(as_member(acme.adam).get("/audit/export.csv", {"number": "+91 98765 43210"}))
    export = AuditEvent.objects.get(organisation=acme.org, action="audit.export")
    assert export.changes["filters"] == {"number": True}
    assert "98765" not in str(export.changes)


def test_the_whole_log_exports_newest_first_and_only_this_organisations(acme, log, as_member):
    rows = csv_rows(as_member(acme.olga).get("/audit/export.csv"))
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(ids, reverse=True)
    # The export's own event is written first, so it is the newest row.
    assert set(ids) == set(AuditEvent.objects.filter(organisation=acme.org).values_list("pk", flat=True))
    assert rows[0]["action"] == "audit.export"


def test_times_read_the_indian_way_for_an_indian_organisation(acme, globex, log, as_member):
    event = AuditEvent.objects.filter(organisation=acme.org).first()
    local = event.at.astimezone(acme.org.tzinfo)
    (row,) = [r for r in csv_rows(as_member(acme.adam).get("/audit/export.csv")) if r["id"] == str(event.pk)]
    assert row["at_local"] == local.strftime("%d-%m-%Y %H:%M:%S")
    assert row["at"] == local.isoformat(timespec="seconds")
    assert local.strftime("%d-%m-%Y %H:%M:%S") in as_member(acme.adam).get("/audit/").content.decode()
    Organisation.objects.filter(pk=globex.org.pk).update(phone_region="US", time_zone="America/New_York")
    other = AuditEvent.objects.filter(organisation=globex.org).first()
    expected = other.at.astimezone(dt.timezone(dt.timedelta(0))).astimezone(
        __import__("zoneinfo").ZoneInfo("America/New_York")
    )
    rows = csv_rows(as_member(globex.olga).get("/audit/export.csv"))
    assert next(r for r in rows if r["id"] == str(other.pk))["at_local"] == expected.strftime(
        "%Y-%m-%d %H:%M:%S"
    )


@pytest.mark.parametrize("who", ["maya", "alice"])
def test_only_owners_and_admins(acme, log, as_member, api_as, who):
    member = getattr(acme, who)
    assert as_member(member).get("/audit/").status_code == 403
    assert as_member(member).get("/audit/export.csv").status_code == 403
    assert api_as(member).get("/api/v1/audit-events").status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_the_api_filters_by_actor_and_pages_with_a_cursor(acme, log, api_as):
    client = api_as(acme.adam)
    page = client.get("/api/v1/audit-events", {"actor_user_id": acme.carl.user_id, "limit": 1}).json()
    assert [e["action"] for e in page["items"]] == ["call.export"]
    rest = client.get(
        "/api/v1/audit-events",
        {"actor_user_id": acme.carl.user_id, "limit": 1, "cursor": page["next_cursor"]},
    ).json()
    assert [(e["action"], e["object_id"]) for e in rest["items"]] == [("lead.view", "42")]
    assert rest["next_cursor"] is None
