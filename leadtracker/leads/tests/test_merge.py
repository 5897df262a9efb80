"""Merging two leads: everything moves, the richer value of each field stays, it is audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads import selectors
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note
from leadtracker.leads.actions.merge import merge_leads
from leadtracker.leads.models import Activity, FollowUp, Lead, LeadPhone
from leadtracker.lib.errors import ActionError


def test_merge_moves_everything_and_keeps_the_richer_values(acme, new_lead):
    actor = Actor.for_user(acme.maya.user)
    primary = new_lead(acme, name="Raj", phone="98765 43210", value="5000", tags=["hot"])
    duplicate = new_lead(
        acme,
        name="Raj Sharma",
        company="Sharma Traders",
        email="raj@example.in",
        phones=["91234 56789", "99887 76655"],
        value="20000",
        city="Jaipur",
        tags=["hot", "diwali"],
        do_not_call=True,
        marketing_consent=True,
    )
    add_note(duplicate, "Wants a 3BHK", actor=actor, by=acme.maya)
    due = timezone.now() + dt.timedelta(days=1)
    fu = schedule_follow_up(duplicate, due_at=due, actor=actor, by=acme.maya)

    merged = merge_leads(primary, duplicate, actor=actor, by=acme.maya)

    assert not Lead.objects.filter(pk=duplicate.pk).exists()
    assert merged.name == "Raj"  # both had one: the primary's stays
    assert (merged.company, merged.email, merged.city) == ("Sharma Traders", "raj@example.in", "Jaipur")
    assert merged.value == Decimal("20000.00")  # the larger amount
    assert merged.do_not_call is True and merged.marketing_consent is False  # safety first
    assert list(LeadPhone.objects.filter(lead=merged).values_list("e164", flat=True)) == [
        "+919876543210",
        "+919123456789",
        "+919988776655",
    ]
    assert set(merged.tags.values_list("name", flat=True)) == {"hot", "diwali"}
    assert Activity.objects.filter(lead=merged, kind="note", body="Wants a 3BHK").exists()
    assert FollowUp.objects.get(pk=fu.pk).lead_id == merged.pk
    assert Lead.objects.get(pk=merged.pk).next_follow_up_at == due
    event = AuditEvent.objects.get(action="lead.merge")
    assert event.changes["merged_lead"] == duplicate.pk
    assert set(event.changes["fields_taken"]) >= {"company", "email", "city", "value"}
    assert "Raj" not in str(event.changes)  # no personal data in the audit log


def test_merge_needs_a_manager_and_two_leads(acme, new_lead):
    a = new_lead(acme, name="A", phone="98765 43210", by=acme.alice)
    b = new_lead(acme, name="B", phone="91234 56789", by=acme.alice)
    with pytest.raises(ActionError) as caught:
        merge_leads(a, b, actor=Actor.system(), by=acme.alice)
    assert caught.value.status_code == 403
    with pytest.raises(ActionError, match="itself"):
        merge_leads(a, a, actor=Actor.system(), by=acme.olga)


def test_merge_across_organisations_is_refused(acme, globex, new_lead):
    a = new_lead(acme, name="A", phone="98765 43210")
    b = new_lead(globex, name="B", phone="91234 56789")
    with pytest.raises(ActionError) as caught:
        merge_leads(a, b, actor=Actor.system(), by=acme.olga)
    assert caught.value.status_code == 404
    assert Lead.objects.filter(pk=b.pk).exists()


def test_merge_drops_duplicate_markers_and_keeps_what_differed(acme, new_lead):
    primary = new_lead(acme, name="Raj", email="raj@example.in", phones=["98765 43210"])
    twin = new_lead(
        acme, name="Raj Sharma", email="raj.s@example.in", phones=["98765 43210"], on_duplicate="create"
    )
    assert twin.extra["possible_duplicate_of"] == primary.pk
    merged = merge_leads(primary, twin, actor=Actor.system(), by=acme.olga)
    assert "possible_duplicate_of" not in merged.extra
    assert selectors.duplicate_pairs(acme.olga) == []
    note = merged.activities.get(kind="merged")
    assert "raj.s@example.in" in note.body and "Raj Sharma" in note.body
