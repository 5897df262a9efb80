"""The calling queue: the agent's own leads in calling order (missed calls to return, overdue
follow-ups, follow-ups due today, new leads never called), one at a time with its talk script;
a skipped lead goes to the end (or, already handled, away until tomorrow); a lead dealt with
leaves it; managers see each agent's queue length; the page's statements are counted."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor, AuditEvent
from leadtracker.calls.models import CallBack, Outcome
from leadtracker.calls.queue.actions import save_talk_script
from leadtracker.calls.queue.selectors import queue_for
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.models import LeadStatus
from leadtracker.testing import call, clocks, make_lead, send

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def follow_up(lead, member, **delta):
    return schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(**delta), actor=Actor.for_user(member.user), by=member
    )


def busy_day(acme, phone):
    """Alice's four kinds of entry, made in the reverse of the order they are to be called."""
    new = make_lead(acme, owner=acme.alice, name="New Nisha", phone="98765 00004")
    later = make_lead(acme, owner=acme.alice, name="Later Lata", phone="98765 00003")
    later.last_contacted_at = timezone.now() - dt.timedelta(days=3)
    later.save(update_fields=["last_contacted_at"])
    overdue = make_lead(acme, owner=acme.alice, name="Overdue Om", phone="98765 00002")
    missed = make_lead(acme, owner=acme.alice, name="Missed Mohan", phone="98765 00001")
    follow_up(later, acme.alice, minutes=1)
    follow_up(overdue, acme.alice, hours=-2)
    send(phone, [call(1, number="+919876500001", type="missed", duration_s=0, minutes_ago=30)])
    # Bob's lead, due now too: never in Alice's queue.
    bobs = make_lead(acme, owner=acme.bob, name="Bob's Bina", phone="98765 00009")
    follow_up(bobs, acme.bob, hours=-1)
    return [missed, overdue, later, new]


def names(queue):
    from leadtracker.leads.models import Lead

    by_id = Lead.objects.in_bulk([e.lead_id for e in queue.entries])
    return [by_id[e.lead_id].name for e in queue.entries]


@pytest.mark.django_db
@clocks("sunday", "monday-00:05", "23:55", "month-end")
def test_the_order_is_missed_calls_overdue_today_then_new(frozen_at, acme, phone):
    busy_day(acme, phone)
    q = queue_for(acme.alice, acme.org.tzinfo)
    assert names(q) == ["Missed Mohan", "Overdue Om", "Later Lata", "New Nisha"]
    assert [e.reason for e in q.entries] == ["call_back", "overdue", "today", "new"]
    assert (q.done, q.total) == (0, 4)
    assert queue_for(acme.bob, acme.org.tzinfo).total == 1


@pytest.mark.django_db
def test_the_page_shows_one_lead_with_call_and_whatsapp_and_its_script(acme, phone, as_member):
    missed, *_ = busy_day(acme, phone)
    status = LeadStatus.objects.get(organisation=acme.org, name="New")
    save_talk_script(acme.org, status=status, text="Say namaste; ask the budget.", actor=Actor.system())
    page = as_member(acme.alice).get("/queue/").content.decode()
    assert "Missed Mohan" in page and "Overdue Om" not in page and "Bob&#x27;s Bina" not in page
    assert 'href="tel:+919876500001"' in page
    assert 'href="https://wa.me/919876500001"' in page
    assert "Say namaste; ask the budget." in page
    assert "0 / 4" in page
    assert f'action="/calls/sheet/lead/{missed.pk}/"' in page
    assert "Your team" not in page  # agents see no team section


@pytest.mark.django_db
@clocks("monday-00:05", "23:55")
def test_saving_the_sheet_moves_to_the_next_lead_and_counts_it(frozen_at, acme, phone, as_member):
    missed, overdue, *_ = busy_day(acme, phone)
    client = as_member(acme.alice)
    interested = Outcome.objects.get(organisation=acme.org, name="Interested")
    answer = client.post(
        f"/calls/sheet/lead/{missed.pk}/",
        {"outcome": interested.pk, "when": "tomorrow", "key": "q1", "back": "/queue/"},
    )
    assert answer.status_code == 302 and answer.url == "/queue/"
    # The call logged from the sheet reached the person: the missed call is returned.
    assert CallBack.objects.get(lead=missed).closed_at is not None
    q = queue_for(acme.alice, acme.org.tzinfo)
    assert q.current.lead_id == overdue.pk
    assert (q.done, q.total) == (1, 4)
    assert "1 / 4" in client.get("/queue/").content.decode()


@pytest.mark.django_db
def test_a_follow_up_planned_in_an_hour_comes_back_in_an_hour(acme, as_member):
    lead = make_lead(acme, owner=acme.alice)
    client = as_member(acme.alice)
    no_answer = Outcome.objects.get(organisation=acme.org, name="No answer")
    client.post(f"/calls/sheet/lead/{lead.pk}/", {"outcome": no_answer.pk, "when": "hour", "key": "h1"})
    assert queue_for(acme.alice, acme.org.tzinfo).entries == []
    in_an_hour = timezone.now() + dt.timedelta(minutes=61)
    q = queue_for(acme.alice, acme.org.tzinfo, now=in_an_hour)
    assert [(e.lead_id, e.reason) for e in q.entries] == [(lead.pk, "overdue")]


@pytest.mark.django_db
def test_a_skipped_lead_goes_to_the_end_and_a_handled_one_away_for_today(acme, phone, as_member):
    missed, overdue, later, new = busy_day(acme, phone)
    client = as_member(acme.alice)
    answer = client.post(f"/queue/{missed.pk}/skip/", {"reason": "busy"})
    assert answer.status_code == 302
    page = client.get("/queue/").content.decode()
    assert f'action="/calls/sheet/lead/{overdue.pk}/"' in page
    client.post(f"/queue/{overdue.pk}/skip/", {"reason": "handled"})
    client.post(f"/queue/{later.pk}/skip/", {"reason": "wrong_time"})
    page = client.get("/queue/").content.decode()
    assert "New Nisha" in page
    skips = client.session["calling_queue"]
    q = queue_for(acme.alice, acme.org.tzinfo, skipped=skips["skipped"], dropped=skips["dropped"])
    assert [e.lead_id for e in q.entries] == [new.pk, missed.pk, later.pk]
    assert AuditEvent.objects.filter(action="queue.skip", object_id=str(missed.pk)).exists()
    # A reason that is none of the three, or a lead that is not hers, skips nothing.
    client.post(f"/queue/{new.pk}/skip/", {"reason": "bored"})
    assert client.session["calling_queue"]["skipped"] == [missed.pk, later.pk]
    bobs = make_lead(acme, owner=acme.bob, phone="98765 11111")
    assert client.post(f"/queue/{bobs.pk}/skip/", {"reason": "busy"}).status_code == 404


@pytest.mark.django_db
def test_another_organisations_lead_cannot_be_skipped(acme, globex, as_member):
    theirs = make_lead(globex, owner=globex.alice)
    assert as_member(acme.olga).post(f"/queue/{theirs.pk}/skip/", {"reason": "busy"}).status_code == 404


@pytest.mark.django_db
def test_managers_see_each_agents_queue_length(acme, phone, as_member):
    busy_day(acme, phone)
    page = as_member(acme.maya).get("/queue/").content.decode()
    section = page[page.index("Your team's queues") :]
    # Maya's subtree: Alice (4 waiting) and Bob (1); Carl is Mark's.
    assert "Alice Acme</td>\n                <td>4</td>" in section
    assert "Bob Acme</td>\n                <td>1</td>" in section
    assert "Carl Acme" not in section
    assert "Carl Acme" in as_member(acme.olga).get("/queue/").content.decode()


def _queue_queries(client) -> int:
    client.get("/queue/")  # the session's first read of the organisation and its settings
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/queue/").status_code == 200
    if len(ctx.captured_queries) > 40:
        raise AssertionError("\n".join(q["sql"][:150] for q in ctx.captured_queries))
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_queue_page_costs_the_same_however_long_the_queue(acme, phone, as_member):
    busy_day(acme, phone)
    agent, manager = as_member(acme.alice), as_member(acme.maya)
    few = (_queue_queries(agent), _queue_queries(manager))
    for n in range(12):
        lead = make_lead(acme, owner=acme.alice, phone=f"98700 100{n:02d}")
        follow_up(lead, acme.alice, hours=-1)
        make_lead(acme, owner=acme.bob, phone=f"98700 200{n:02d}")
    assert (_queue_queries(agent), _queue_queries(manager)) == few
    # The agent's card: +1 the lines a call can go through (telephony), +1 the custom fields.
    # (The unread badge is read with the membership since issue 21: 14 and 13 before.)
    assert few == (13, 12)
