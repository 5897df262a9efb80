"""The nightly job deletes for good the leads 30 days in the trash (audited, counted per
organisation), and not a day sooner; an admin may empty one earlier. What the retention purge
removed while a lead was in the trash does not come back with it."""

import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.accounts.scheduler import load_jobs
from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.models import Lead, TrashedLead
from leadtracker.leads.trash.actions import TRASH_DAYS, delete_forever, purge_trash, restore_lead, trash_leads
from leadtracker.lib.errors import ActionError
from leadtracker.lib.periodic import REGISTRY
from leadtracker.testing import clocks

NOW = dt.datetime(2026, 12, 6, 21, 30, tzinfo=dt.UTC)


def trash(people, lead, at):
    trash_leads(
        Lead.objects.filter(pk=lead.pk), actor=Actor.for_user(people.olga.user), by=people.olga, now=at
    )


@pytest.fixture
def trashed(acme, globex, new_lead):
    old = new_lead(acme, name="Old", phone="98765 00001")
    recent = new_lead(acme, name="Recent", phone="98765 00002")
    theirs = new_lead(globex, name="Theirs", phone="98765 00003")
    trash(acme, old, NOW - dt.timedelta(days=TRASH_DAYS, minutes=1))
    trash(acme, recent, NOW - dt.timedelta(days=TRASH_DAYS - 1))
    trash(globex, theirs, NOW - dt.timedelta(days=TRASH_DAYS + 5))
    return old.pk, recent.pk, theirs.pk


def test_leads_past_30_days_go_for_good_and_no_sooner(acme, globex, trashed):
    old, recent, theirs = trashed
    assert purge_trash(now=NOW - dt.timedelta(days=6)) == {}  # nobody's 30 days are up yet
    assert purge_trash(now=NOW) == {"acme": 1, "globex": 1}
    assert set(TrashedLead.objects.values_list("pk", flat=True)) == {recent}
    events = AuditEvent.objects.filter(action="lead.purge").order_by("object_id")
    assert [(e.organisation_id, e.object_id, e.actor_kind) for e in events] == [
        (acme.org.pk, str(old), "system"),
        (globex.org.pk, str(theirs), "system"),
    ]
    assert events[0].changes["early"] is False
    # The next night takes the one that was left, once.
    assert purge_trash(now=NOW + dt.timedelta(days=1)) == {"acme": 1}
    assert purge_trash(now=NOW + dt.timedelta(days=2)) == {}
    assert not TrashedLead.objects.exists() and not Lead.objects.filter(pk__in=trashed).exists()


def test_a_purged_lead_cannot_be_restored(acme, trashed):
    old, _recent, _theirs = trashed
    gone = TrashedLead.objects.get(pk=old)
    purge_trash(now=NOW)
    with pytest.raises(ActionError) as err:
        restore_lead(gone, actor=Actor.system(), by=acme.olga)
    assert err.value.status_code == 404
    assert not Lead.objects.filter(pk=old).exists()


@clocks()
def test_the_nightly_job_is_the_worker_s_and_purges(frozen_at, acme, new_lead):
    load_jobs()  # as the worker does before it fires them
    job = REGISTRY["leadtracker.leads.tasks.purge_trash"]
    assert job.every == dt.timedelta(hours=24)
    due, kept = new_lead(acme, phone="98765 00005"), new_lead(acme, phone="98765 00006")
    trash(acme, due, timezone.now() - dt.timedelta(days=TRASH_DAYS + 1))
    trash(acme, kept, timezone.now() - dt.timedelta(days=1))
    # The task as the worker runs it, on the real clock.
    assert job.task.func() == {"acme": 1}
    assert list(TrashedLead.objects.values_list("pk", flat=True)) == [kept.pk]


def test_an_admin_empties_one_early_and_a_manager_may_not(acme, trashed, api_as):
    _old, recent, _theirs = trashed
    assert api_as(acme.maya).delete(f"/api/v1/leads/trash/{recent}").status_code == 403
    with pytest.raises(ActionError):
        delete_forever(TrashedLead.objects.get(pk=recent), actor=Actor.system(), by=acme.maya)
    assert api_as(acme.adam).delete(f"/api/v1/leads/trash/{recent}").status_code == 204
    assert not TrashedLead.objects.filter(pk=recent).exists()
    event = AuditEvent.objects.get(action="lead.purge", object_id=str(recent))
    assert event.changes["early"] is True and event.actor_user_id == acme.adam.user_id


def test_what_retention_purged_meanwhile_does_not_come_back(acme, new_lead):
    from leadtracker.privacy.retention import purge as retention

    lead = new_lead(acme, name="Kiran", phone="98765 00009", owner_id=acme.alice.user_id)
    started = NOW - dt.timedelta(days=400)
    missed = Call.objects.create(
        organisation=acme.org,
        user_id=acme.alice.user_id,
        lead=lead,
        number="+919876500009",
        type="missed",
        status="missed",
        direction="in",
        started_at=started,
    )
    CallBack.objects.create(
        organisation=acme.org,
        lead=lead,
        assignee_id=acme.alice.user_id,
        number="+919876500009",
        missed_call=missed,
        missed_at=started,
        last_missed_at=started,
    )
    trash(acme, lead, NOW - dt.timedelta(days=1))
    assert not CallBack.objects.exists()  # went to the trash with the lead
    counts = retention.purge(org_slug="acme", now=NOW)["acme"]
    assert counts["calls"] == 1 and not Call.objects.exists()

    result = restore_lead(TrashedLead.objects.get(pk=lead.pk), actor=Actor.system(), by=acme.olga)
    assert result.left_out == {"calls.callback": 1}
    assert not Call.objects.exists() and not CallBack.objects.exists()
    assert Lead.objects.filter(pk=lead.pk).exists()
    assert timezone.is_aware(Lead.objects.get(pk=lead.pk).created_at)


def test_the_web_asks_before_deleting_for_good(acme, trashed, as_member):
    _old, recent, _theirs = trashed
    web = as_member(acme.olga)
    question = web.post(f"/leads/trash/{recent}/delete/")
    assert question.status_code == 200 and "Delete “Recent” for good?" in question.content.decode()
    assert TrashedLead.objects.filter(pk=recent).exists()  # asking deletes nothing
    assert as_member(acme.maya).post(f"/leads/trash/{recent}/delete/", {"confirm": "yes"}).status_code == 403
    response = web.post(f"/leads/trash/{recent}/delete/", {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == "/leads/trash/"
    assert "deleted for good" in response.content.decode()
    assert not TrashedLead.objects.filter(pk=recent).exists()
