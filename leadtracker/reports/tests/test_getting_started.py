"""The getting-started checklist on a new organisation's dashboard: shown to owners and admins
(never to managers), each step ticked by what the organisation really has — people invited, the
pipeline and outcomes looked over, a phone paired, leads, an assignment rule — each linking to
where it is done; one query; and gone once every step is done."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.actions import create_organisation, invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership, Role, User
from leadtracker.calls.actions import save_outcome
from leadtracker.leads.actions.assignment import save_assignment_rule
from leadtracker.leads.actions.settings import save_statuses
from leadtracker.leads.selectors import statuses
from leadtracker.reports.getting_started import checklist
from leadtracker.testing import html_region, login_client, make_lead, paired_client


@pytest.fixture
def fresh(db):
    org, owner = create_organisation(name="Fresh Homes", slug="fresh", owner_email="owner@fresh.test")
    return org, owner


def shown(owner) -> dict[str, bool] | None:
    """The checklist as the dashboard shows it: each step's title and whether it is ticked."""
    region = html_region(login_client(owner).get("/dashboard/").content, "getting-started")
    if region is None:
        return None
    return {
        text.split(" (", 1)[0]: "done" in classes and "(done)" in text
        for tag, classes, text in region.elements
        if tag == "li"
    }


def steps_left(owner) -> set[str]:
    return {title for title, done in (shown(owner) or {}).items() if not done}


def test_a_new_organisation_sees_every_step_to_do_with_its_link(fresh):
    org, owner = fresh
    page = login_client(owner).get("/dashboard/").content.decode()
    section = page[page.index('id="getting-started"') :]
    section = section[: section.index("</section>")]
    assert "0 of 5 done" in section
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)
    assert links == [
        ("/members/", "Invite your people"),
        ("/leads/settings/", "Set your pipeline and call outcomes"),
        ("/devices/", "Pair a phone"),
        ("/leads/import/", "Import your leads"),
        ("/leads/settings/", "Set assignment rules"),
    ]


def test_each_step_is_ticked_by_real_data_and_the_list_goes_when_all_are(fresh):
    org, owner = fresh
    actor = Actor.for_user(owner.user)
    assert len(steps_left(owner)) == 5

    invite_member(org, email="asha@fresh.test", actor=actor)
    assert "Invite your people" not in steps_left(owner)

    rows = [{"id": s.pk, "name": s.name, "kind": s.kind} for s in statuses(org.pk)]
    rows.insert(1, {"name": "Site visit booked", "kind": "open"})
    save_statuses(org, rows, actor=actor)
    # The pipeline alone is half the step: the outcomes are the other half.
    assert "Set your pipeline and call outcomes" in steps_left(owner)
    save_outcome(org, name="Asked for brochure", actor=actor)
    assert "Set your pipeline and call outcomes" not in steps_left(owner)

    agent_user = User.objects.create(email="ravi@fresh.test", full_name="Ravi")
    agent = Membership.objects.create(organisation=org, user=agent_user, role=Role.AGENT)
    paired_client(agent)
    assert "Pair a phone" not in steps_left(owner)

    make_lead(type("People", (), {"org": org, "olga": owner}), name="First lead")
    assert "Import your leads" not in steps_left(owner)

    assert steps_left(owner) == {"Set assignment rules"}
    save_assignment_rule(org, name="Everyone", agent_ids=[agent_user.pk], actor=actor)
    assert shown(owner) is None
    assert 'id="getting-started"' not in login_client(owner).get("/dashboard/").content.decode()


def test_only_owners_and_admins_see_it(acme, as_member):
    assert html_region(as_member(acme.olga).get("/dashboard/").content, "getting-started") is not None
    assert html_region(as_member(acme.adam).get("/dashboard/").content, "getting-started") is not None
    for who in ("maya", "mani"):
        assert (
            html_region(as_member(getattr(acme, who)).get("/dashboard/").content, "getting-started") is None
        )
    assert checklist(acme.maya) is None and checklist(acme.alice) is None


def test_the_checklist_is_one_query_and_other_pages_pay_nothing(acme, as_member):
    with CaptureQueriesContext(connection) as ctx:
        assert checklist(acme.olga) is not None
    assert len(ctx.captured_queries) == 1
    client = as_member(acme.olga)
    client.get("/leads/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/leads/")
    assert not any("assignment_rule" in q["sql"] for q in ctx.captured_queries)
