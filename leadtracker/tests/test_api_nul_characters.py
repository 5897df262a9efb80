"""A NUL character (U+0000) anywhere in an API request is refused before the handler runs, the
same on both databases: 422 naming the field, nothing written. (PostgreSQL cannot store one in
text or JSON; SQLite kept it, so the same request used to succeed on one and fail on the other.)"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.calls.models import Call
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.actions.settings import create_source, rotate_capture_key
from leadtracker.leads.models import ImportJob, Lead
from leadtracker.testing import call, open_shift, paired_client, send

NUL_MESSAGE = "text cannot contain the NUL character (U+0000)"


def refused(response, *fields):
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": field, "message": NUL_MESSAGE} for field in fields]


def test_a_lead_named_with_a_nul_is_refused_naming_the_field(acme, api_as):
    client = api_as(acme.olga)
    before = (Lead.objects.count(), AuditEvent.objects.count())
    response = client.post(
        "/api/v1/leads",
        data={"name": "Sunita\u0000", "phones": ["98765 43210"], "tags": ["ok", "b\u0000d"]},
        content_type="application/json",
    )
    refused(response, "name", "tags.1")
    assert response.json()["detail"] == f"name: {NUL_MESSAGE}; tags.1: {NUL_MESSAGE}"
    assert (Lead.objects.count(), AuditEvent.objects.count()) == before


def test_hindi_and_emoji_names_still_pass(acme, api_as):
    client = api_as(acme.olga)
    for name, phone in (("सुनीता शर्मा", "98765 43210"), ("Ravi 🙂🇮🇳", "98765 43211")):
        response = client.post(
            "/api/v1/leads", data={"name": name, "phones": [phone]}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
        assert Lead.objects.get(pk=response.json()["id"]).name == name


def test_the_six_characters_backslash_u0000_are_ordinary_text(acme, api_as):
    """The quick search of the body finds the bytes \\u0000 inside an escaped backslash too;
    only a real NUL is refused."""
    response = api_as(acme.olga).post(
        "/api/v1/leads",
        data={"name": "C:\\u0000 folder", "phones": ["98765 43210"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Lead.objects.get(pk=response.json()["id"]).name == "C:\\u0000 folder"


def test_a_raw_nul_byte_in_a_json_body_is_not_json(acme, api_as):
    """JSON requires control characters in strings to be escaped: a raw NUL byte makes the body
    unreadable, refused as such before anything is written."""
    response = api_as(acme.olga).post(
        "/api/v1/leads", data=b'{"name": "A\x00B"}', content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith("the body is not valid JSON (Invalid control character")
    assert not Lead.objects.exists()


@pytest.mark.parametrize("field", ["number", "contact_name", "device_call_id", "sim"])
def test_a_nul_in_a_sync_batch_refuses_the_request_naming_the_call(acme, field):
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    before = (Call.objects.count(), Lead.objects.count())
    response = send(phone, [call(0), call(1, minutes_ago=50), call(2, **{field: "98765\u000043210"})])
    refused(response, f"calls.2.{field}")
    assert (Call.objects.count(), Lead.objects.count()) == before
    # The phone sets aside the call named and sends the rest again: those are taken.
    assert send(phone, [call(0), call(1, minutes_ago=50)]).json()["stored"] == 2


def test_a_raw_nul_byte_in_a_sync_batch_is_named_too(acme):
    """The sync handler reads its body itself; the check finds a raw NUL inside a string there
    and names it (an escaped one is the ordinary case)."""
    open_shift(acme.alice)
    phone = paired_client(acme.alice)
    body = (
        b'{"calls": [{"number": "98765\x0043210", "type": "outgoing", "started_at": "2026-01-01T10:00:00Z",'
    )
    response = phone.post(
        "/api/v1/calls/sync", body + b' "duration_s": 1}]}', content_type="application/json"
    )
    refused(response, "calls.0.number")
    assert not Call.objects.exists()


def test_a_nul_in_a_query_parameter_is_refused_naming_it(acme, api_as):
    lead = create_lead(
        acme.org, LeadData(name="Sunita", phones=["98765 43210"]), actor=Actor.system(), by=acme.olga
    )[0]
    client = api_as(acme.olga)
    refused(client.get("/api/v1/leads?q=Sun%00ita"), "q")
    refused(client.get("/api/v1/audit-events?action=lead.create%00"), "action")
    # A name that holds one is named with the character spelled out.
    refused(client.get("/api/v1/leads?q%00=x"), "q\\u0000")
    # "%2500" is the text "%00", not a NUL.
    assert client.get("/api/v1/leads?q=%2500").status_code == 200
    assert client.get("/api/v1/leads?q=Sun").json()["items"][0]["id"] == lead.pk


def test_a_nul_in_a_key_of_the_body_is_named(acme, api_as):
    client = api_as(acme.maya)
    upload = client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("leads.csv", b"Name,Mobile\nSunita,98765 43210\n", "text/csv")},
    )
    assert upload.status_code == 201, upload.content
    job = upload.json()
    response = client.post(
        f"/api/v1/imports/{job['id']}/start",
        {"mapping": {"0": "name", "1\u0000": "phone"}, "on_duplicate": "skip"},
        content_type="application/json",
    )
    refused(response, "mapping.1\\u0000")
    assert ImportJob.objects.get(pk=job["id"]).state == job["state"]


def test_a_multipart_upload_still_works_though_its_file_holds_nul_bytes(acme, api_as):
    """Uploads are multipart: their text fields are checked, their files are the importer's.
    An XLSX is a zip, full of NUL bytes."""
    book = Workbook()
    book.active.append(["Name", "Mobile"])
    book.active.append(["सुनीता", "98765 43210"])
    content = io.BytesIO()
    book.save(content)
    assert b"\x00" in content.getvalue()
    response = api_as(acme.maya).post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("leads.xlsx", content.getvalue(), "application/octet-stream")},
    )
    assert response.status_code == 201, response.content
    assert response.json()["headers"] == ["Name", "Mobile"]
    assert ImportJob.objects.filter(pk=response.json()["id"]).exists()


def test_a_nul_in_a_form_field_is_refused_naming_it(acme):
    source = create_source(acme.org, "Website", actor=Actor.system())
    key = rotate_capture_key(source, actor=Actor.system()).capture_key
    multipart = Client().post(f"/api/v1/capture/{key}", {"name": "Kavya\u0000", "phone": "98765 43210"})
    refused(multipart, "name")
    urlencoded = Client().post(
        f"/api/v1/capture/{key}", "name=Kavya&city=Pu%00ne", content_type="application/x-www-form-urlencoded"
    )
    refused(urlencoded, "city")
    assert not Lead.objects.exists()
    ok = Client().post(f"/api/v1/capture/{key}", {"name": "Kavya", "phone": "98765 43210"})
    assert ok.status_code == 201, ok.content


def test_a_nul_in_the_path_is_refused_naming_the_parameter(acme):
    """The capture key is the one text in a path; SQLite looked it up and found none,
    PostgreSQL refused to compare it."""
    response = Client().post("/api/v1/capture/ab%00cd", {"name": "Kavya"}, content_type="application/json")
    refused(response, "key")


def test_credentials_are_asked_for_before_the_body_is_judged(acme):
    response = Client().post("/api/v1/leads", data={"name": "A\u0000"}, content_type="application/json")
    assert response.status_code == 401
