"""A new lead's numbers, tags, links, timeline entry and audit event (on PostgreSQL written in one
statement: leads/create_rows.py) are the rows the ORM's saves wrote, the objects handed
back carry their ids, and the audit event's post_save is sent as its save() sends it."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.models import Activity, ActivityKind, LeadPhone, LeadTag, Tag


def test_the_rows_are_written_as_the_orm_writes_them(acme):
    Tag.objects.create(organisation=acme.org, name="hot")  # one tag exists, one is made
    saved = []

    def heard(sender, instance, created, **kwargs):
        saved.append((sender, instance.pk, created))

    post_save.connect(heard, sender=AuditEvent)
    post_save.connect(heard, sender=Activity)
    try:
        lead, outcome = create_lead(
            acme.org,
            LeadData(name="Asha", phones=["98123 45678", "+91 98123 45679"], tags=["pune", "hot"]),
            actor=Actor.for_user(acme.olga.user),
            by=acme.olga,
        )
    finally:
        post_save.disconnect(heard, sender=AuditEvent)
        post_save.disconnect(heard, sender=Activity)
    assert outcome == "created"

    phones = list(LeadPhone.objects.filter(lead=lead).order_by("position"))
    assert [(p.e164, p.raw, p.position, p.digits_reversed) for p in phones] == [
        ("+919812345678", "98123 45678", 0, "876543218919"),
        ("+919812345679", "+91 98123 45679", 1, "976543218919"),
    ]
    handed = list(lead.phones.all())
    assert [(p.pk, p.e164) for p in handed] == [(p.pk, p.e164) for p in phones]
    assert all(not p._state.adding for p in handed)

    tags = list(lead.tags.all())
    assert [t.name for t in tags] == ["hot", "pune"]
    assert {(t.pk, t.name) for t in tags} == set(
        Tag.objects.filter(organisation=acme.org).values_list("pk", "name")
    )
    links = LeadTag.objects.filter(lead=lead).values_list("organisation_id", "tag_id")
    assert sorted(links) == sorted((acme.org.pk, t.pk) for t in tags)

    activity = Activity.objects.get(lead=lead)
    assert (activity.kind, activity.actor_id, activity.at, activity.data, activity.organisation_id) == (
        ActivityKind.CREATED,
        acme.olga.user_id,
        lead.created_at,
        {"source": ""},
        acme.org.pk,
    )
    event = AuditEvent.objects.get(action="lead.create", object_id=str(lead.pk))
    assert (event.object_type, event.actor_user_id, event.actor_kind, event.changes) == (
        "lead",
        acme.olga.user_id,
        "user",
        {},
    )
    assert sorted(saved, key=str) == sorted(
        [(Activity, activity.pk, True), (AuditEvent, event.pk, True)], key=str
    )


def test_a_number_taken_meanwhile_is_refused_with_nothing_written(acme, new_lead):
    """The one statement's unique number refuses the whole of it (the create's transaction goes)."""
    new_lead(acme, name="Raj", phone="98765 43210")
    before = (AuditEvent.objects.count(), Activity.objects.count(), Tag.objects.count())
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            from leadtracker.leads import create_rows
            from leadtracker.leads.models import Lead

            lead = Lead.objects.create(
                organisation=acme.org, name="Again", status=acme.org.lead_statuses.first()
            )
            create_rows.write(
                lead,
                [LeadPhone(organisation=acme.org, lead=lead, e164="+919876543210", digits_reversed="0")],
                ["new"],
                Activity(organisation=acme.org, lead=lead, kind=ActivityKind.CREATED),
                AuditEvent(
                    organisation=acme.org, action="lead.create", object_type="lead", object_id=str(lead.pk)
                ),
            )
    assert (AuditEvent.objects.count(), Activity.objects.count(), Tag.objects.count()) == before
