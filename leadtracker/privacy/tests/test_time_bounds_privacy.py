"""A privacy notice takes effect within ten years (a draft is dated no further either way), and a
data request was received within the last year: anything else is refused with 422 naming the
field (effective_at, received_at) through the API and on the pages, and nothing is written.
A draft dated 9999 once made /settings/privacy/ answer 500."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.privacy.models import DataRequest, PrivacyNotice
from leadtracker.privacy.notices import actions
from leadtracker.privacy.tests.requests_util import make_lead
from leadtracker.testing import login_client, window_refusal

LAST = "9999-12-31T23:59:59Z"


def error(response):
    assert response.status_code == 422, response.content
    return response.json()["errors"][0]


def draft(people, **fields):
    return actions.create_draft(people.org, actor=Actor.system(), **fields)


@pytest.mark.parametrize(
    "effective_at, message",
    [
        (LAST, "is more than 10 years in the future"),
        ("0001-01-01T00:00:00+05:30", "is more than 10 years in the past"),
    ],
    ids=["9999", "year-1"],
)
def test_a_draft_dated_out_of_range(acme, api_as, effective_at, message):
    client = api_as(acme.adam)
    response = client.post(
        "/api/v1/privacy/notices", {"effective_at": effective_at}, content_type="application/json"
    )
    assert error(response) == window_refusal("effective_at", message)
    assert not PrivacyNotice.objects.filter(organisation=acme.org).exists()
    notice = draft(acme)
    response = client.patch(
        f"/api/v1/privacy/notices/{notice.pk}",
        {"effective_at": effective_at},
        content_type="application/json",
    )
    assert error(response) == window_refusal("effective_at", message)
    notice.refresh_from_db()
    assert notice.effective_at is None


def test_publishing_eleven_years_ahead(acme, api_as):
    notice = draft(acme)
    later = (timezone.now() + dt.timedelta(days=366 * 11)).isoformat()
    response = api_as(acme.adam).post(
        f"/api/v1/privacy/notices/{notice.pk}/publish",
        {"effective_at": later},
        content_type="application/json",
    )
    assert error(response) == window_refusal("effective_at", "is more than 10 years in the future")
    notice.refresh_from_db()
    assert not notice.is_published


def test_a_draft_already_dated_9999_is_not_published(acme, api_as):
    """A draft written before the check (stored past the action here) is checked at publishing."""
    notice = draft(acme)
    PrivacyNotice.objects.filter(pk=notice.pk).update(effective_at=dt.datetime(9999, 12, 31, tzinfo=dt.UTC))
    response = api_as(acme.adam).post(
        f"/api/v1/privacy/notices/{notice.pk}/publish", content_type="application/json"
    )
    assert error(response)["field"] == "effective_at"
    notice.refresh_from_db()
    assert not notice.is_published


def test_a_notice_five_years_ahead_is_published(acme, api_as):
    notice = draft(acme)
    later = (timezone.now() + dt.timedelta(days=365 * 5)).replace(microsecond=0)
    response = api_as(acme.adam).post(
        f"/api/v1/privacy/notices/{notice.pk}/publish",
        {"effective_at": later.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert dt.datetime.fromisoformat(response.json()["effective_at"]) == later


def test_the_notice_page_names_the_date(acme):
    notice = draft(acme)
    client = login_client(acme.adam)
    # The page's form as sent: the draft's own items, and the date typed with a wrong year.
    form = {f: [item[f] for item in notice.items] for f in ("data", "purpose", "legal_basis", "retention")}
    page = client.post(
        f"/settings/privacy/{notice.pk}/",
        {"title": notice.title, "introduction": "", "effective_date": "9999-12-31", **form},
    ).content.decode()
    assert "Takes effect on: is more than 10 years in the future" in page and "effective_at" not in page
    response = client.post(
        f"/settings/privacy/{notice.pk}/publish/", {"effective_date": "9999-12-31"}, follow=True
    )
    assert "Takes effect on: is more than 10 years in the future" in response.content.decode()
    notice.refresh_from_db()
    assert notice.effective_at is None and not notice.is_published


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00:00+05:30", "2000-01-01T10:00:00+05:30"])
def test_a_request_received_long_ago(acme, api_as, received_at):
    make_lead(acme, phone="+919876543210")
    response = api_as(acme.adam).post(
        "/api/v1/privacy/requests",
        {
            "kind": "access",
            "requested_by": "Ravi",
            "channel": "email",
            "phone": "+919876543210",
            "received_at": received_at,
        },
        content_type="application/json",
    )
    assert error(response) == window_refusal("received_at", "is more than 1 year in the past")
    assert not DataRequest.objects.exists()


def test_the_request_page_names_the_date(acme):
    make_lead(acme, phone="+919876543210")
    response = login_client(acme.adam).post(
        "/settings/privacy/requests/new/",
        {
            "kind": "access",
            "lead_contact": "98765 43210",
            "member": "",
            "requested_by": "Ravi",
            "channel": "letter",
            "received_on": "0001-01-01",
            "details": "",
            "verification_note": "",
        },
    )
    assert "Received on: is more than 1 year in the past" in response.content.decode()
    assert not DataRequest.objects.exists()
