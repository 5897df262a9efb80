"""Issue 21: the lead page, the leads page, one lead and the list over the API, in a pinned
number of statements (pinned so that a change shows in review; lower them, never raise them).

The lead page, for its owner (an agent has one fewer: nobody to give a lead to):
  the session; the person with their memberships and organisations (one query, the header's
  switcher among them, accounts/middleware.py); the lead (visibility: selectors.get_lead); the
  access audit's insert (its own statement, docs/decisions.md); the members a lead can go to;
  the active statuses with the message templates (one UNION ALL); its numbers, tags, open
  follow-ups and consent events (one UNION ALL, leads/page_reads.py); the timeline (its
  activities, its calls, the rules that ran: one UNION ALL); the custom fields; the telephony
  line. The unread notifications are counted in the membership's statement (a GET's;
  accounts/middleware.py).
The leads page: the session; the person and memberships; the managers above (whose shared views
  the viewer sees; not asked for who reports to nobody, as the owner); the saved views; the
  custom fields (once, views/cached.py); the rows; the count; statuses, sources, tags, the
  members (owners and teams in one; the statuses, sources and tags one UNION ALL).
One lead (API): the token with its membership (one query, accounts/auth.py); the lead (one read,
  not a look-up and then the read); its numbers and tags (one UNION ALL, as the list's); the
  access audit's insert; for an agent, the hidden fields' keys.
The list (API): the token with its membership; the rows; their numbers and tags (one UNION ALL);
  for an agent, the hidden fields' keys.

The API's throttle counter is left out of the count: it has its own tests
(accounts/tests/test_throttle_in_memory.py), and how often a process writes it depends on the
rates the settings give."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import RateCounter
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note


def statements(client, path) -> int:
    client.get(path)  # the session and whatever a first request warms
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    throttle = RateCounter._meta.db_table
    return sum(throttle not in q["sql"] for q in ctx.captured_queries)


@pytest.fixture
def lead(acme, new_lead):
    lead = new_lead(acme, name="Raj", phones=["98765 43210", "91234 56789"], by=acme.alice, tags=["a", "b"])
    add_note(lead, "note", actor=Actor.for_user(acme.alice.user), by=acme.alice)
    due = timezone.now() + dt.timedelta(hours=1)
    schedule_follow_up(lead, due_at=due, actor=Actor.system(), by=acme.alice)
    return lead


@pytest.mark.parametrize(("who", "page", "count"), [("olga", 10, 8), ("alice", 9, 8)])
def test_the_lead_page_and_the_leads_page(acme, lead, as_member, who, page, count):
    client = as_member(getattr(acme, who))
    # Before issue 21's cut: 22 and 17 for the owner, 20 and 15 for an agent; then 17 and 11,
    # 16 and 11 (the unread count is now read with the membership, the lead's numbers and tags
    # in one statement, the leads page's statuses, sources and tags in one); then 15 and 14 (the
    # lead page's follow-ups and consent events read with its numbers and tags, its statuses with
    # the message templates); then 12 and 11 (the timeline's three reads one statement).
    assert statements(client, f"/leads/{lead.pk}/") == page
    assert statements(client, "/leads/") == count


@pytest.mark.parametrize(("who", "one", "page"), [("olga", 4, 3), ("alice", 5, 4)])
def test_one_lead_and_the_list_over_the_api(acme, lead, api_as, who, one, page):
    client = api_as(getattr(acme, who))
    # Before: 7 and 5 for the owner, 8 and 6 for an agent (the lead was read twice, the token and
    # the membership each in its own query).
    assert statements(client, f"/api/v1/leads/{lead.pk}") == one
    assert statements(client, "/api/v1/leads?limit=50") == page


def test_statuses_sources_and_tags_read_in_one_as_the_orm_reads_them(acme, globex, new_lead):
    from leadtracker.leads import selectors
    from leadtracker.leads.models import LeadSource, LeadStatus

    def columns(objs):
        return [(type(o), {f.attname: getattr(o, f.attname) for f in o._meta.concrete_fields}) for o in objs]

    for name in ("Zoo", "Ads", "Mela"):
        LeadSource.objects.create(organisation=acme.org, name=name)
    LeadSource.objects.create(organisation=globex.org, name="Elsewhere")
    retired = LeadStatus.objects.filter(organisation=acme.org).order_by("position").last()
    LeadStatus.objects.filter(pk=retired.pk).update(is_active=False)
    new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.olga, tags=["zebra", "apple", "Mango"])
    found = selectors.organisation_lists(acme.org.pk)
    by_orm = (selectors.statuses(acme.org.pk), selectors.sources(acme.org.pk), selectors.tags(acme.org.pk))
    for made, read in zip(found, by_orm, strict=True):
        assert columns(made) == columns(read)
        assert all(not o._state.adding for o in made)
    assert [s.name for s in found[1]] == ["Ads", "Mela", "Zoo"]
    assert len(found[0]) == LeadStatus.objects.filter(organisation=acme.org, is_active=True).count()
