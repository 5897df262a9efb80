"""The leads page's count (issue 21): for the whole organisation and an agent's own leads, with
no filter, a status, an owner or both, it is the count the database keeps (reports' LeadCount,
asked through leads/kept_counts.py), which must say what counting the leads says — after
creates, status changes, reassignments and the trash — and what the page showed before; any
other list (a manager's team, a search, another filter) is still counted live."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.audit import Actor
from leadtracker.leads import kept_counts, selectors
from leadtracker.leads.actions.leads import change_status, delete_leads
from leadtracker.leads.models import Lead, LeadStatus
from leadtracker.leads.tests.test_lead_reads_statements import statements
from leadtracker.leads.views import leads as views

PEOPLE = ("olga", "adam", "maya", "alice", "carl")


@pytest.fixture
def leads(acme, globex, new_lead):
    rng = random.Random(16)
    statuses = list(LeadStatus.objects.filter(organisation=acme.org))
    owners = [acme.olga, acme.alice, acme.carl, acme.bob, None]
    made = [
        new_lead(acme, name=f"L{i}", phones=[f"98765 4{i:04d}"], owner=rng.choice(owners), by=acme.olga)
        for i in range(14)
    ]
    new_lead(globex, name="Elsewhere", phones=["98765 43299"], by=globex.olga)
    actor = Actor.system()
    for lead in rng.sample(made, 5):
        change_status(lead, rng.choice(statuses), actor=actor, by=acme.olga, lost_reason="price")
    Lead.objects.filter(pk__in=[m.pk for m in made[:3]]).update(owner_id=acme.alice.user_id)
    delete_leads(Lead.objects.filter(pk=made[4].pk), actor=actor, by=acme.olga)
    return statuses


def shown(client, query=""):
    response = client.get(f"/leads/?{query}")
    assert response.status_code == 200
    return response.context["total"], response.context["total_capped"]


def live(viewer, status=None, owner=None, **more):
    return selectors.filter_leads(
        selectors.leads_for(viewer), viewer, status=status, owner=owner, **more
    ).count()


def test_the_kept_count_says_what_counting_says(acme, leads, as_member):
    for who in PEOPLE:
        viewer = getattr(acme, who)
        client = as_member(viewer)
        for status in (None, leads[-1].pk):
            for owner in (None, acme.alice.user_id):
                query = "&".join(f"{k}={v}" for k, v in (("status", status), ("owner", owner)) if v)
                assert shown(client, query) == (live(viewer, status, owner), False), (who, query)
        assert shown(client, "unassigned=1") == (live(viewer, unassigned=True), False), who
        assert shown(client, "q=L1") == (
            selectors.search(selectors.leads_for(viewer), "L1", acme.org.pk, "IN").count(),
            False,
        )


@pytest.mark.parametrize(("who", "kept"), [("olga", True), ("alice", True), ("maya", False)])
def test_which_lists_read_it(acme, leads, as_member, who, kept):
    client = as_member(getattr(acme, who))
    client.get("/leads/")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/leads/?status={leads[0].pk}")
    asked = [q["sql"] for q in ctx.captured_queries if "reports_leadcount" in q["sql"]]
    counted = [
        q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "leads_lead" in q["sql"]
    ]
    assert (len(asked), len(counted)) == ((1, 0) if kept else (0, 1))


def test_the_cap_and_no_counter(acme, leads, as_member, monkeypatch):
    client = as_member(acme.olga)
    everyone = live(acme.olga)
    monkeypatch.setattr(views, "COUNT_CAP", everyone - 1)
    assert shown(client) == (everyone - 1, True)
    monkeypatch.setattr(views, "COUNT_CAP", everyone)
    assert shown(client) == (everyone, False)
    monkeypatch.setattr(kept_counts, "COUNTERS", [])  # no counter: counted live, the same
    assert shown(client) == (everyone, False)


def test_a_managers_leads_page_reads_its_team_once(acme, leads, as_member):
    """A manager's list stays on the ORM's path, which reads the team's people once: reading
    its rows by list_sql and counting them live read them twice (12 statements)."""
    client = as_member(acme.maya)
    assert statements(client, "/leads/") == 11
    assert statements(client, f"/leads/?status={leads[0].pk}") == 11
