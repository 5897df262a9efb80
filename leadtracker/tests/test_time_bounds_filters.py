"""A list's or a report's dates are asked within fifty years of today. A day or a moment near
year 1 or 9999 cannot even be turned into the organisation's zone or into UTC for the query:
?created_to=9999-12-31 made the leads list, board and export answer 500, as did such a date in
the calls list, the audit log, the timesheets and the dashboard. Now the API answers 422 naming
the parameter, a page with a form names the field, and the leads list says what it left out."""

import pytest

FAR = ["0001-01-01", "9999-12-31"]
# 9999 at an offset west of UTC is past the year 9999 in UTC; year 1 east of it is before year 1.
MOMENTS = ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:30", "9999-12-31T23:59:59Z"]


def named(response, field):
    assert response.status_code == 422, (response.status_code, response.content[:300])
    error = response.json()["errors"][0]
    assert error["field"] == field and "is more than 50 years in the" in error["message"], error


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("field", ["created_from", "created_to"])
def test_the_leads_api_and_its_export(acme, api_as, field, day):
    client = api_as(acme.olga)
    named(client.get("/api/v1/leads", {field: day}), field)
    named(client.get("/api/v1/leads/export", {field: day}), field)


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_calls_and_audit_apis(acme, api_as, moment):
    client = api_as(acme.olga)
    named(client.get("/api/v1/calls", {"start": moment}), "start")
    named(client.get("/api/v1/calls", {"end": moment}), "end")
    named(client.get("/api/v1/audit-events", {"since": moment}), "since")
    named(client.get("/api/v1/audit-events", {"until": moment}), "until")


@pytest.mark.parametrize("day", FAR)
def test_the_leads_list_board_and_export_pages(acme, as_member, day):
    client = as_member(acme.olga)
    page = client.get("/leads/", {"created_to": day})
    assert page.status_code == 200
    assert "Created to: not a day within 50 years of today" in page.content.decode()
    assert client.get("/leads/board/", {"created_from": day}).status_code == 200
    export = client.get("/leads/export/", {"created_to": day})
    assert export.status_code == 200
    b"".join(export.streaming_content)


@pytest.mark.parametrize("day", FAR)
def test_pages_with_a_form_name_the_field(acme, as_member, day):
    client = as_member(acme.olga)
    calls = client.get("/calls/", {"start": day, "end": day})
    assert calls.status_code == 200
    assert set(calls.context["form"].errors) == {"start", "end"}
    audit = client.get("/audit/", {"since": day})
    assert audit.status_code == 200
    assert "is more than 50 years in the" in audit.context["form"].errors["since"][0]
    assert client.get("/audit/export.csv", {"since": day}).status_code == 400
    dashboard = client.get("/dashboard/", {"range": "custom", "start": day, "end": day})
    assert dashboard.status_code == 200
    assert "is more than 50 years in the" in dashboard.context["form"].errors["start"][0]
    csv = client.get("/dashboard/data.csv", {"chart": "daily", "range": "custom", "start": day, "end": day})
    assert csv.status_code == 422 and "From: is more than 50 years in the" in csv.content.decode()
