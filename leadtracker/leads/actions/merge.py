"""Folding a duplicate lead into another: what the merge keeps (the preview shows the same plan)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.actions.follow_ups import _refresh_next_follow_up
from leadtracker.leads.actions.leads import RICHER_TEXT_FIELDS
from leadtracker.leads.consent import NOTE_MERGED, lead_consent_changed
from leadtracker.leads.models import Activity, ActivityKind, ConsentMethod, FollowUp, Lead, LeadPhone, LeadTag
from leadtracker.leads.signals import lead_owner_changed
from leadtracker.lib.errors import ActionError


@dataclass
class MergePlan:
    """What merging ``duplicate`` into ``primary`` keeps, decided before anything is written:
    the merge applies it and the web's preview shows it, so the two cannot disagree."""

    values: dict  # lead field -> the value the kept lead ends with
    taken: list[str]  # the fields whose value comes from the duplicate
    differing: dict[str, str]  # what the duplicate says otherwise: kept on the timeline


_DUPLICATE_MARKERS = {
    "possible_duplicate_of",
    "numbers_on_other_lead",
    "email_on_other_lead",
    "possible_duplicate",
}


def plan_merge(primary: Lead, duplicate: Lead) -> MergePlan:
    """Which value wins, field by field: the primary's unless it has none (the value: the larger
    one); the earliest creation and the latest contact; do-not-call if either says so and
    marketing consent only if both agree (safety first). The status stays the primary's.
    Numbers and tags are not here: the merged lead has those of both."""
    values, taken = {}, []
    for name in RICHER_TEXT_FIELDS:
        mine, theirs = getattr(primary, name), getattr(duplicate, name)
        values[name] = mine or theirs
        if not mine and theirs:
            taken.append(name)
    values["email"] = primary.email or duplicate.email
    if duplicate.email and not primary.email:
        taken.append("email")
    values["value"] = primary.value
    if duplicate.value is not None and (primary.value is None or duplicate.value > primary.value):
        values["value"] = duplicate.value
        taken.append("value")
    for name in ("source", "owner"):
        values[f"{name}_id"] = getattr(primary, f"{name}_id")
        if getattr(primary, f"{name}_id") is None and getattr(duplicate, f"{name}_id") is not None:
            values[f"{name}_id"] = getattr(duplicate, f"{name}_id")
            taken.append(name)
    values["status_id"] = primary.status_id
    values["created_at"] = min(primary.created_at, duplicate.created_at)
    values["last_contacted_at"] = primary.last_contacted_at
    if duplicate.last_contacted_at and (
        not primary.last_contacted_at or duplicate.last_contacted_at > primary.last_contacted_at
    ):
        values["last_contacted_at"] = duplicate.last_contacted_at
    values["do_not_call"] = primary.do_not_call or duplicate.do_not_call
    values["marketing_consent"] = primary.marketing_consent and duplicate.marketing_consent
    values["extra"] = {
        k: v for k, v in {**duplicate.extra, **primary.extra}.items() if k not in _DUPLICATE_MARKERS
    }
    # Custom fields as the text fields: the primary's value unless it has none.
    values["custom_fields"] = {**duplicate.custom_fields, **primary.custom_fields}
    taken += [f"fields.{k}" for k in sorted(set(duplicate.custom_fields) - set(primary.custom_fields))]
    values["phone"], values["phone_raw"] = primary.phone, primary.phone_raw
    if not primary.phone and duplicate.phone:
        values["phone"], values["phone_raw"] = duplicate.phone, duplicate.phone_raw
        taken.append("phone")
    differing = {
        name: getattr(duplicate, name)
        for name in ("name", "company", "email", "city")
        if getattr(duplicate, name)
        and getattr(primary, name)
        and getattr(duplicate, name) != getattr(primary, name)
    }
    return MergePlan(values=values, taken=taken, differing=differing)


def _rows_that_move(lead: Lead):
    """(model, field name, rows) for everything that points at ``lead`` and moves with a merge —
    timeline, follow-ups, and rows of apps above this one (calls) — found by walking the model
    graph, so no upward import is needed. Numbers and tags are merged on their own."""
    for rel in Lead._meta.related_objects:
        if rel.related_model in (LeadPhone, LeadTag) or not rel.one_to_many or not rel.field.concrete:
            continue
        rows = rel.related_model._default_manager.filter(**{rel.field.name: lead})
        yield rel.related_model, rel.field.name, rows


def merge_moves(duplicate: Lead) -> dict[str, int]:
    """How many rows of each kind a merge moves from ``duplicate`` (for the preview)."""
    return {model._meta.label_lower: rows.count() for model, _name, rows in _rows_that_move(duplicate)}


@transaction.atomic
def merge_leads(primary: Lead, duplicate: Lead, *, actor: Actor, by: Membership | None) -> Lead:
    """Fold ``duplicate`` into ``primary``: numbers, notes, follow-ups, tags and every row
    of other apps that points at a lead move over; each field keeps the value ``plan_merge``
    picks; then the duplicate is deleted."""
    if primary.pk == duplicate.pk:
        raise ActionError(_("a lead cannot be merged with itself"), field="duplicate")
    if primary.organisation_id != duplicate.organisation_id:
        raise ActionError(_("no such lead"), field="duplicate", status_code=404)
    if by is not None and not by.has_role(Role.MANAGER):
        raise ActionError(_("only managers and admins merge leads"), field="lead", status_code=403)
    primary = Lead.objects.select_for_update().get(pk=primary.pk)
    duplicate = Lead.objects.select_for_update().get(pk=duplicate.pk)
    plan = plan_merge(primary, duplicate)
    taken, differing = plan.taken, plan.differing
    if "email" in taken:
        duplicate.email = ""
        duplicate.save(update_fields=["email"])  # release the unique e-mail first
    consent_before = primary.marketing_consent
    for name, value in plan.values.items():
        setattr(primary, name, value)
    # Numbers: the duplicate's follow the primary's, in their order.
    offset = LeadPhone.objects.filter(lead=primary).count()
    for i, phone in enumerate(LeadPhone.objects.filter(lead=duplicate).order_by("position", "id")):
        LeadPhone.objects.filter(pk=phone.pk).update(lead=primary, position=offset + i)
    # Tags: union.
    for tag_id in LeadTag.objects.filter(lead=duplicate).values_list("tag_id", flat=True):
        LeadTag.objects.get_or_create(organisation_id=primary.organisation_id, lead=primary, tag_id=tag_id)
    LeadTag.objects.filter(lead=duplicate).delete()
    moved = {}
    for model, name, rows in _rows_that_move(duplicate):
        n = rows.update(**{name: primary})
        if n:
            moved[model._meta.label_lower] = n
    primary.updated_at = timezone.now()
    primary.save()
    _refresh_next_follow_up(primary)
    Activity.objects.create(
        organisation_id=primary.organisation_id,
        lead=primary,
        kind=ActivityKind.MERGED,
        actor=actor.user,
        body="; ".join(f"{k}: {v}" for k, v in differing.items()),
        data={"merged_lead": duplicate.pk, "fields_taken": taken},
    )
    if primary.marketing_consent != consent_before:
        # The duplicate's history moved over with the walk above; this says why it ended.
        lead_consent_changed(
            primary,
            method=ConsentMethod.MERGE,
            actor=actor,
            note=NOTE_MERGED % {"lead": duplicate.pk},
        )
    if primary.owner_id:
        FollowUp.objects.filter(lead=primary).open().update(assignee_id=primary.owner_id)
        # The duplicate's open work in other apps (missed calls to return) follows too.
        lead_owner_changed.send(sender=Lead, lead=primary, old_owner_id=None, new_owner_id=primary.owner_id)
    record(
        "lead.merge",
        organisation=primary.organisation,
        actor=actor,
        obj=primary,
        changes={"merged_lead": duplicate.pk, "fields_taken": taken, "moved": moved},
    )
    duplicate.delete()
    return primary
