"""The dashboard and the agent's day read a fixed number of queries, however many agents,
calls, devices, leads and follow-ups there are."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership, Role, User
from leadtracker.reports.tests.busy_day import busy_day, calls_for, minutes_into_today
from leadtracker.testing import login_client, make_lead, open_shift, paired_client, send

PAGES = [
    ("olga", "/dashboard/?range=7d"),
    ("olga", "/dashboard/?range=30d&team={maya}"),
    ("maya", "/dashboard/?range=today"),
    ("maya", "/dashboard/data.csv?range=7d&chart=agents"),
    ("alice", "/my-day/"),
    ("alice", "/"),
    ("maya", "/"),
]


def counts(people) -> list[int]:
    out = []
    for who, url in PAGES:
        client = login_client(getattr(people, who))
        client.get(url)  # the session, the notice check and the like are warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url.format(maya=people.maya.pk))
        assert response.status_code == 200, url
        out.append(len(ctx.captured_queries))
    return out


def more_work(people, n: int) -> None:
    """n more agents in Maya's team, each with a phone, a shift, calls, a lead and a follow-up."""
    from leadtracker.leads.actions.follow_ups import schedule_follow_up

    room = max(1, min(20, minutes_into_today(people.org) // 4))
    for i in range(n):
        user = User.objects.create(email=f"extra{i}@acme.test", full_name=f"Extra {i}")
        member = Membership.objects.create(
            organisation=people.org, user=user, role=Role.AGENT, reports_to=people.maya
        )
        open_shift(member, hours_ago=9)
        number = f"+9198700{i:05d}"
        lead = make_lead(people, name=f"Lead {i}", phone=number, actor=Actor.system(), owner=member)
        specs = [(number, "outgoing", 30 + j) for j in range(4)] + [(number, "missed", 0)]
        assert (
            send(paired_client(member), calls_for(500 + 10 * i, specs, latest_minutes_ago=room)).status_code
            == 200
        )
        schedule_follow_up(
            lead,
            due_at=timezone.now() + dt.timedelta(minutes=30),
            actor=Actor.system(),
            by=people.olga,
            assignee_id=member.user_id,
        )
        schedule_follow_up(
            lead, due_at=timezone.now() - dt.timedelta(hours=1), actor=Actor.system(), by=people.olga
        )
    # Alice's own day gets busier too.
    alices = make_lead(
        people, name="Another of Alice's", phone="+919870099999", actor=Actor.system(), owner=people.alice
    )
    schedule_follow_up(
        alices, due_at=timezone.now() + dt.timedelta(hours=1), actor=Actor.system(), by=people.alice
    )
    specs = [("+919870099999", "missed", 0), ("+919870099999", "outgoing", 0)]
    send(paired_client(people.alice, name="Second phone"), calls_for(900, specs, latest_minutes_ago=room))


def test_pages_read_a_fixed_number_of_queries(acme):
    busy_day(acme)
    before = counts(acme)
    more_work(acme, 4)
    assert counts(acme) == before
    # Pinned, so that a change shows up in review. The chart's CSV writes its audit event; the
    # owner's dashboard reads the getting-started checklist (one query), and reads the whole
    # organisation's rows: its sums with the first and last call's person-days in one statement,
    # conversion's kept counts with the leads at the range's two ends in one, the median wait
    # from its person-days' joined lists. Every dashboard reads the funnel's counts and statuses in
    # one statement, and a team's summary its sums and waits in one (issue 21, session 16: the
    # owner's page 18 -> 15, a team's 21 -> 19 and 20 -> 18). The pages' unread badge
    # is read with the membership (issue 21; one more each before). The owner's overdue
    # follow-ups and missed calls waiting are one statement over the kept counts (reports 0005);
    # a manager's missed calls waiting are a sum of the kept counts of her people's ids, which
    # the page has already (one statement less than the live count, which read them again; her
    # home page is her dashboard). An agent's day asks whether she has a phone paired (one query:
    # until she has, the page tells her to pair it first).
    assert before == [15, 19, 18, 11, 10, 10, 18]
