"""Issue 21: the lead page reads its numbers, tags, open follow-ups and consent events in one
statement, and the organisation's statuses and message templates in one (leads/page_reads.py) —
the same rows, in the same order, with the same related person loaded, as the ORM's reads."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads import consent, page_reads, selectors
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.models import Activity, ConsentEvent, FollowUp, LeadStatus, MessageTemplate


def columns(objs):
    return [(type(o), {f.attname: getattr(o, f.attname) for f in o._meta.concrete_fields}) for o in objs]


@pytest.fixture
def lead(acme, globex, new_lead):
    lead = new_lead(
        acme,
        name="Raj",
        phones=["98765 43210", "91234 56789"],
        tags=["zebra", "Apple", "mango"],
        owner=acme.alice,
    )
    new_lead(acme, name="Other", phones=["99887 76655"], tags=["apple"])
    now = timezone.now()
    for hours, who in ((5, acme.alice), (1, acme.maya), (1, acme.alice), (3, acme.olga)):
        schedule_follow_up(
            lead,
            due_at=now + dt.timedelta(hours=hours),
            assignee_id=who.user_id,
            actor=Actor.system(),
            by=acme.olga,
        )
    done, cancelled, *_, nobodys = FollowUp.objects.filter(lead=lead).order_by("id")
    FollowUp.objects.filter(pk=nobodys.pk).update(assignee=None)  # its assignee left the team
    FollowUp.objects.filter(pk=done.pk).update(done_at=now)
    FollowUp.objects.filter(pk=cancelled.pk).update(cancelled_at=now)
    events = [
        ConsentEvent(
            organisation=acme.org,
            lead=lead,
            given=i % 2 == 0,
            method="form",
            recorded_by=acme.olga.user if i % 3 else None,
            occurred_at=now - dt.timedelta(minutes=i % 40),
        )
        for i in range(page_reads.CONSENTS_SHOWN + 5)
    ]
    ConsentEvent.objects.bulk_create(events)
    return lead


def test_the_lead_s_rows_are_the_orm_s(acme, lead):
    with CaptureQueriesContext(connection) as ctx:
        found = page_reads.lead_rows(lead)
    assert len(ctx.captured_queries) == 1
    assert columns(found.phones) == columns(lead.phones.all())
    assert columns(found.tags) == columns(lead.tags.all())
    open_ones = list(
        FollowUp.objects.filter(lead=lead).open().select_related("assignee").order_by("due_at", "id")
    )
    assert (
        len(open_ones) == 2
        and open_ones[-1].assignee is None
        and columns(found.open_follow_ups) == columns(open_ones)
    )
    latest = list(consent.lead_history(lead)[: page_reads.CONSENTS_SHOWN])
    assert len(found.consents) == page_reads.CONSENTS_SHOWN
    assert columns(found.consents) == columns(latest)
    for made, read, person in (
        *((m, r, "assignee") for m, r in zip(found.open_follow_ups, open_ones, strict=True)),
        *((m, r, "recorded_by") for m, r in zip(found.consents, latest, strict=True)),
    ):
        with CaptureQueriesContext(connection) as ctx:  # loaded with the row, as select_related does
            assert getattr(made, person) == getattr(read, person)
        assert not ctx.captured_queries
    everything = [*found.phones, *found.tags, *found.open_follow_ups, *found.consents]
    assert all(not o._state.adding for o in everything)


def test_a_lead_with_none_of_them(acme, new_lead):
    bare = new_lead(acme, name="Nobody", email="nobody@example.com")
    assert page_reads.lead_rows(bare) == page_reads.LeadRows([], [], [], [])


def test_statuses_and_templates_are_the_orm_s(acme, globex):
    for i, name in enumerate(("Visit", "Brochure", "Thanks")):
        MessageTemplate.objects.create(
            organisation=acme.org, name=name, body=f"Hi {{name}} {i}", position=3 - i
        )
    MessageTemplate.objects.create(organisation=globex.org, name="Elsewhere", body="x")
    retired = LeadStatus.objects.filter(organisation=acme.org).order_by("position").last()
    LeadStatus.objects.filter(pk=retired.pk).update(is_active=False)
    statuses, templates = page_reads.statuses_and_templates(acme.org.pk)
    assert columns(statuses) == columns(selectors.statuses(acme.org.pk))
    assert columns(templates) == columns(selectors.message_templates(acme.org.pk))
    assert [t.name for t in templates if t.name in {"Visit", "Brochure", "Thanks"}] == [
        "Thanks",
        "Brochure",
        "Visit",
    ]


def orm_timeline(lead) -> list:
    """The timeline as three ORM reads give it (how the API read it before it took the lead
    page's statement): each table's newest TIMELINE_SHOWN, merged newest first, on the same
    moment an activity before a call before a rule's run."""
    from leadtracker.automation.models import RuleRun
    from leadtracker.automation.timeline import BRANCH as RULES
    from leadtracker.calls.models import Call
    from leadtracker.calls.timeline import BRANCH as CALLS

    shown = page_reads.TIMELINE_SHOWN
    entries = list(
        Activity.objects.filter(lead=lead).select_related("actor", "follow_up").order_by("-at", "-id")[:shown]
    )
    calls = Call.objects.filter(lead=lead).select_related("user", "outcome").order_by("-started_at", "-id")
    entries += CALLS.entries(lead, list(calls[:shown]))
    runs = RuleRun.objects.filter(lead=lead).select_related("rule").order_by("-fired_at", "-id")
    entries += RULES.entries(lead, list(runs[:shown]))
    entries.sort(key=lambda a: a.at, reverse=True)
    return entries[:shown]


def test_the_timeline_is_the_orm_s(acme, new_lead):
    """Activities (one with its follow-up, one by nobody), calls (with and without an outcome,
    two at the same moment as an activity) and a rule's runs, on one lead and not
    another's: the timeline's one statement gives what the ORM's three reads give."""
    from leadtracker.automation.actions import save_rule
    from leadtracker.automation.models import RuleRun
    from leadtracker.calls.models import Call, Outcome

    lead = new_lead(acme, name="Tara", phone="98765 11122", owner=acme.alice)
    other = new_lead(acme, name="Other", phone="98765 11133", owner=acme.alice)
    now = timezone.now()
    schedule_follow_up(lead, due_at=now + dt.timedelta(days=1), actor=Actor.system(), by=acme.olga)
    Activity.objects.create(organisation=acme.org, lead=lead, kind="note", body="by nobody", at=now)
    outcome = Outcome.objects.filter(organisation=acme.org).first()
    for i, (who, said, when) in enumerate(
        (
            (acme.alice.user, outcome, now),
            (acme.olga.user, None, now - dt.timedelta(hours=1)),
            (acme.maya.user, None, now),
        )
    ):
        for target in (lead, other):
            Call.objects.create(
                organisation=acme.org,
                user=who,
                lead=target,
                number=target.phone,
                type="outgoing",
                status="answered",
                direction="out",
                started_at=when,
                duration_s=10 * i,
                outcome=said,
            )
    sla = save_rule(
        acme.org,
        trigger="lead_created",
        actions=[{"type": "add_tag", "tag": "web"}],
        name="Tag web leads",
        actor=Actor.for_user(acme.olga.user),
    )
    for target in (lead, other):
        RuleRun.objects.create(
            organisation=acme.org,
            rule=sla,
            lead=target,
            event="lead_created",
            did=[{"type": "add_tag", "tag": "web"}],
        )
    with CaptureQueriesContext(connection) as ctx:
        made = page_reads.timeline(lead)
    assert len(ctx.captured_queries) == 1
    read = orm_timeline(lead)
    assert {a.kind for a in read} >= {"created", "follow_up", "note", "call", "rule"}
    assert [(a.kind, a.at, a.body, a.data, a.actor_id, a.follow_up_id) for a in made] == [
        (a.kind, a.at, a.body, a.data, a.actor_id, a.follow_up_id) for a in read
    ]
    with CaptureQueriesContext(connection) as ctx:  # who and which follow-up: loaded with the rows
        assert [(a.actor, a.follow_up) for a in made] == [(a.actor, a.follow_up) for a in read]
    assert not ctx.captured_queries
