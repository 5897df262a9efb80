"""The campaign export leaves out do-not-call, unconsenting and erased leads, says how many
and why, and gives each remaining lead its unsubscribe link — web (CSV, XLSX) and API."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.consent import unsubscribe_url
from leadtracker.leads.models import Lead


@pytest.fixture
def mix(acme, new_lead):
    ok = new_lead(acme, name="Asha Yes", phones=["98765 00001"], marketing_consent=True)
    new_lead(acme, name="Dinesh DNC", phones=["98765 00002"], marketing_consent=True, do_not_call=True)
    new_lead(acme, name="Neha No", phones=["98765 00003"])
    new_lead(acme, name="Both DNC", phones=["98765 00004"], do_not_call=True)
    erased = new_lead(acme, name="Erased", phones=["98765 00005"], marketing_consent=True)
    Lead.objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    return ok


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_page_counts_what_is_left_out_and_why(acme, as_member, mix):
    page = as_member(acme.maya).get("/leads/export/campaign/").content.decode()
    assert "<strong>5</strong> leads" in page and "<strong>1</strong> may receive" in page
    assert "<strong>4</strong> are left out" in page
    assert "<dt>Do not call</dt><dd>2</dd>" in page
    assert "<dt>No marketing consent</dt><dd>1</dd>" in page and "<dt>Erased</dt><dd>1</dd>" in page


def test_web_csv_keeps_only_reachable_leads_with_their_link(acme, as_member, mix):
    response = as_member(acme.maya).get("/leads/export/campaign/?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="campaign-acme-')
    rows = csv_rows(response)
    assert [r["Name"] for r in rows] == ["Asha Yes"]
    assert rows[0]["unsubscribe_url"] == unsubscribe_url(mix)
    assert (response["X-Left-Out"], response["X-Left-Out-Do-Not-Call"]) == ("4", "2")
    assert (response["X-Left-Out-No-Consent"], response["X-Left-Out-Erased"]) == ("1", "1")
    event = AuditEvent.objects.filter(action="lead.export").latest("id")
    assert event.changes["campaign"] is True and event.changes["rows"] == 1
    assert event.changes["left_out"] == {"erased": 1, "do_not_call": 2, "no_consent": 1}


def test_the_filters_still_apply(acme, as_member, mix):
    response = as_member(acme.maya).get("/leads/export/campaign/?format=csv&q=Neha")
    assert csv_rows(response) == [] and response["X-Left-Out-No-Consent"] == "1"
    assert response["X-Left-Out"] == "1"


def test_web_xlsx(acme, as_member, mix):
    response = as_member(acme.maya).get("/leads/export/campaign/?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "unsubscribe_url" and len(rows) == 2 and rows[1][1] == "Asha Yes"


def test_api_campaign_mode(acme, api_as, mix):
    response = api_as(acme.olga).get("/api/v1/leads/export?campaign=true")
    assert response.status_code == 200 and response["X-Left-Out"] == "4"
    assert [r["Name"] for r in csv_rows(response)] == ["Asha Yes"]
    plain = api_as(acme.olga).get("/api/v1/leads/export")
    rows = csv_rows(plain)
    assert len(rows) == 5 and "unsubscribe_url" not in rows[0] and "X-Left-Out" not in plain


def test_agents_cannot_export(acme, as_member, api_as, mix):
    assert as_member(acme.alice).get("/leads/export/campaign/").status_code == 403
    assert as_member(acme.alice).get("/leads/export/campaign/?format=csv").status_code == 403
    assert api_as(acme.alice).get("/api/v1/leads/export?campaign=true").status_code == 403
