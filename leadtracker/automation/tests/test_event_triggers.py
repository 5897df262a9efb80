"""Rules on events — a lead created, its status changed, an outcome recorded, a call missed:
each fires once through the apps' actions, writes its log line on the timeline and its audit
events (naming the rule), and does not fire again on what it did itself."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, Notification
from leadtracker.automation.actions import set_rule_active
from leadtracker.automation.engine import handle_event
from leadtracker.automation.models import RuleRun
from leadtracker.automation.tasks import run_event_rules
from leadtracker.calls.actions import log_call, record_outcome
from leadtracker.calls.models import Outcome
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.imports.jobs import run_import_job, start_job, store_upload
from leadtracker.leads.models import FollowUp, Lead, LeadStatus
from leadtracker.leads.page_reads import timeline
from leadtracker.testing import make_lead


def _status(people, name):
    return LeadStatus.objects.get(organisation=people.org, name=name)


def _logged(rule, lead):
    runs = list(RuleRun.objects.filter(rule=rule, lead=lead))
    assert len(runs) == 1
    fired = AuditEvent.objects.filter(action="rule.fire", object_id=str(rule.pk))
    assert [e.changes["lead"] for e in fired] == [lead.pk]
    return runs[0]


def test_a_new_lead_is_assigned_by_a_rule(acme, worker, rule):
    assign = [{"type": "assign", "user_id": acme.carl.user_id}]
    r = rule(acme, "lead_created", assign, name="Walk-ins to Carl")
    lead = worker(lambda: make_lead(acme, name="Asha"))
    lead.refresh_from_db()
    assert lead.owner_id == acme.carl.user_id
    run = _logged(r, lead)
    assert run.did == [{"type": "assign", "to": acme.carl.user_id}]
    # The assignment is the leads app's own: its audit event, naming the rule.
    assign = AuditEvent.objects.get(action="lead.assign", object_id=str(lead.pk))
    assert assign.actor_kind == "system" and assign.changes["rule"] == r.pk
    line = next(a for a in timeline(lead) if a.kind == "rule")
    assert line.data == {"rule": "Walk-ins to Carl", "text": "reassigned to Carl Acme"}


def test_a_status_change_plans_a_visit_and_the_rule_does_not_loop(acme, worker, rule):
    interested = _status(acme, "Interested")
    r = rule(
        acme,
        "status_changed",
        [
            {"type": "follow_up", "in_days": 2, "at": "11:00", "kind": "visit"},
            {"type": "set_status", "status_id": _status(acme, "Meeting/Site visit").pk},
        ],
        conditions={"status_ids": [interested.pk]},
    )
    lead = make_lead(acme, owner=acme.alice)
    worker(lambda: change_status(lead, interested, actor=Actor.for_user(acme.alice.user), by=acme.alice))
    lead.refresh_from_db()
    assert lead.status.name == "Meeting/Site visit"
    fu = FollowUp.objects.get(lead=lead)
    local = fu.due_at.astimezone(acme.org.tzinfo)
    assert (fu.kind, local.hour, local.minute, fu.assignee_id) == ("visit", 11, 0, acme.alice.user_id)
    _logged(r, lead)  # once: its own status change did not fire it again
    # A retried task does nothing twice.
    assert handle_event(acme.org.pk, lead.pk, "status_changed", str(RuleRun.objects.get().event[15:])) == []
    assert FollowUp.objects.filter(lead=lead).count() == 1


def test_three_not_connected_outcomes_make_the_lead_lost(acme, worker, rule):
    no_answer = Outcome.objects.get(organisation=acme.org, name="No answer")
    r = rule(
        acme,
        "outcome_recorded",
        [{"type": "set_status", "status_id": _status(acme, "Lost").pk, "lost_reason": "Unreachable"}],
        conditions={"outcome_ids": [no_answer.pk], "outcome_times": 3},
    )
    lead = make_lead(acme, owner=acme.alice)
    actor = Actor.for_user(acme.alice.user)
    for n in range(3):
        at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=10 - n)
        call, _ = log_call(acme.alice, lead=lead, connected=False, started_at=at, actor=actor)
        worker(lambda c=call: record_outcome(c, outcome_id=no_answer.pk, actor=actor, by=acme.alice))
        lead.refresh_from_db()
        assert (lead.status.name == "Lost") == (n == 2)
    assert lead.lost_reason == "Unreachable"
    _logged(r, lead)


def test_a_missed_call_tells_the_owner(acme, worker, rule):
    actions = [{"type": "notify", "to": "owner", "email": False}, {"type": "add_tag", "tag": "Hot"}]
    r = rule(acme, "call_missed", actions)
    lead = make_lead(acme, owner=acme.bob)
    actor = Actor.for_user(acme.bob.user)
    worker(lambda: log_call(acme.bob, lead=lead, direction="in", connected=False, actor=actor))
    run = _logged(r, lead)
    assert run.did == [
        {"type": "notify", "to": acme.bob.user_id},
        {"type": "add_tag", "tag": "Hot", "added": True},
    ]
    assert list(Lead.objects.get(pk=lead.pk).tags.values_list("name", flat=True)) == ["Hot"]
    assert acme.bob.user.notifications.filter(url=f"/leads/{lead.pk}/").exists()


def test_a_rule_switched_off_does_nothing(acme, worker, rule):
    r = rule(acme, "lead_created", [{"type": "add_tag", "tag": "New"}])
    set_rule_active(r, False, actor=Actor.system())
    lead = worker(lambda: make_lead(acme))
    assert not RuleRun.objects.exists() and not lead.tags.exists()


def test_a_retried_task_does_nothing_twice(acme, rule, django_capture_on_commit_callbacks):
    rule(acme, "lead_created", [{"type": "notify", "to": "owner", "email": False}])
    with django_capture_on_commit_callbacks(execute=True):
        lead = make_lead(acme, owner=acme.alice, name="Asha Verma")
    queued = DBTaskResult.objects.get(task_path=run_event_rules.module_path)
    args, kwargs = queued.args_kwargs["args"], queued.args_kwargs["kwargs"]
    assert args == [acme.org.pk, [lead.pk], "lead_created", "created"]  # ids only, no name
    assert run_event_rules.func(*args, **kwargs) == 1
    assert run_event_rules.func(*args, **kwargs) == 0  # the worker died after the work: run again
    assert RuleRun.objects.count() == 1
    assert Notification.objects.filter(user_id=acme.alice.user_id, url=f"/leads/{lead.pk}/").count() == 1
    assert AuditEvent.objects.filter(action="rule.fire").count() == 1


def test_leads_from_an_import_fire_the_lead_created_rules(acme, worker, rule):
    csv = b"Name,Mobile\nKavya Menon,98450 11223\nRohit Jain,98450 11224\n"
    upload = SimpleUploadedFile("leads.csv", csv)
    r = rule(acme, "lead_created", [{"type": "add_tag", "tag": "Imported"}])

    def imported():
        job = store_upload(acme.org, upload, by=acme.olga)
        mapping = {"0": "name", "1": "phone"}
        start_job(job, mapping=mapping, on_duplicate="skip", owner_id=None, source="", by=acme.olga)
        run_import_job(job.pk)

    worker(imported)
    leads = Lead.objects.filter(organisation=acme.org, name__in=["Kavya Menon", "Rohit Jain"])
    assert RuleRun.objects.filter(rule=r).count() == 2
    assert all(list(lead.tags.values_list("name", flat=True)) == ["Imported"] for lead in leads)
