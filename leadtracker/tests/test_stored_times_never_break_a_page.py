"""A time already in the database, however absurd, never breaks a page.

The actions refuse such times now (test_time_bounds_*), but rows from before, an import, a
restored backup or a hand-edited database can hold any time. 9999-12-31 23:59 UTC is the year
10000 in India, and 1 January of year 1 is the year 0 in New York: moving either into the
organisation's zone overflows. Such a time is shown in UTC instead, and every page answers.
The times are stored here with update(), past the actions, as such rows came to be."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance.models import Shift
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.models import FollowUp, Lead
from leadtracker.privacy.models import NoticeAcceptance, PrivacyNotice

LAST = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
FIRST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)

# Asia/Kolkata (+05:30) pushes the last moment past 9999; America/New_York (-05:00) pulls the
# first one before year 1.
CASES = [
    pytest.param("Asia/Kolkata", LAST, "31 Dec", id="year-9999-in-india"),
    pytest.param("America/New_York", FIRST, "1 Jan", id="year-1-in-new-york"),
]


def store(people, zone, moment):
    org = people.org
    org.time_zone = zone
    org.save(update_fields=["time_zone"])
    lead, _ = create_lead(
        org,
        LeadData(name="Raj Kumar", phones=["98765 43210"], owner_id=people.alice.user_id),
        actor=Actor.system(),
        by=people.olga,
    )
    fu = schedule_follow_up(
        lead,
        due_at=timezone.now() + dt.timedelta(hours=2),
        actor=Actor.system(),
        by=people.alice,
    )
    FollowUp.objects.filter(pk=fu.pk).update(due_at=moment, remind_at=moment)
    Lead.objects.filter(pk=lead.pk).update(next_follow_up_at=moment)
    draft = PrivacyNotice.objects.create(organisation=org, title="Draft", items=[], effective_at=moment)
    # Published: in effect since year 1 (everyone is asked to accept it), or scheduled for 9999.
    published = PrivacyNotice.objects.create(
        organisation=org,
        title="Notice",
        items=[],
        version=1,
        effective_at=moment,
        published_at=timezone.now(),
    )
    hour = dt.timedelta(hours=1)
    Shift.objects.create(
        organisation=org,
        user=people.alice.user,
        started_at=moment - hour if moment == LAST else moment,
        ended_at=moment if moment == LAST else moment + hour,
    )
    return lead, fu, draft, published


def accept(people, notice, *who):
    for key in who:
        NoticeAcceptance.objects.create(
            organisation=people.org,
            notice=notice,
            user=getattr(people, key).user,
            version=notice.version,
            accepted_at=timezone.now(),
        )


def get(client, url):
    response = client.get(url, follow=True)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a CSV fails while it streams, not before
    return response


@pytest.mark.parametrize("zone, moment, shown", CASES)
def test_every_page_that_shows_the_time_answers(acme, as_member, api_as, zone, moment, shown):
    lead, fu, draft, published = store(acme, zone, moment)
    accept(acme, published, "olga", "alice")
    pages = [
        f"/leads/{lead.pk}/",
        "/leads/",
        "/leads/board/",
        "/leads/?follow_up=overdue",
        "/leads/export/",
        "/my-day/",
        "/dashboard/",
        "/",
        "/attendance/",
        f"/attendance/shifts/{Shift.objects.get().pk}/",
        "/settings/privacy/",
        f"/settings/privacy/{draft.pk}/",
        f"/settings/privacy/{published.pk}/",
        f"/privacy/{acme.org.slug}/",
    ]
    for who in ("olga", "alice"):
        client = as_member(getattr(acme, who))
        for url in pages:
            response = get(client, url)
            # An agent may not open the privacy settings nor export: a 403, not a 500.
            refused = who == "alice" and url.startswith(
                ("/settings/privacy/", "/leads/export/", "/attendance/s")
            )
            expected = 403 if refused else 200
            assert response.status_code == expected, (who, url, response.status_code)
        api = api_as(getattr(acme, who))
        for url in (f"/api/v1/leads/{lead.pk}", f"/api/v1/leads/{lead.pk}/follow-ups", "/api/v1/agenda"):
            assert api.get(url).status_code == 200, (who, url)

    page = as_member(acme.alice).get(f"/leads/{lead.pk}/").content.decode()
    # Shown in UTC, on the day it was stored.
    card = page.split(f'id="follow-up-{fu.pk}"', 1)[1][:300]
    assert shown in card


def test_my_day_lists_an_overdue_follow_up_of_year_1(acme, as_member):
    """A follow-up in 9999 is not on My day; one of year 1 is overdue and listed, in UTC."""
    _lead, _fu, _draft, published = store(acme, "America/New_York", FIRST)
    accept(acme, published, "alice")
    page = as_member(acme.alice).get("/my-day/").content.decode()
    assert "Raj Kumar" in page and "1 Jan" in page


def test_a_notice_in_effect_since_year_1_is_offered_to_accept(acme, as_member):
    """The gate sends a member who has not accepted it to the notice, which says since when."""
    store(acme, "America/New_York", FIRST)
    response = as_member(acme.bob).get("/my-day/", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith("/privacy-notice/")
    assert response.status_code == 200 and "in effect since 1 Jan 1." in response.content.decode()
