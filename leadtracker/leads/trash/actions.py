"""Moving leads to the trash, restoring them, and purging them for good.

A trashed lead leaves the live tables. Django's deletion collector finds everything that goes
with it (numbers, tags, timeline, follow-ups, consent history, and what other apps cascade —
open call-backs, released legal holds), and the rows of other tables that only point at it and
would be set to empty (its calls, data requests, webhook deliveries). Those rows are written
into a ``TrashedLead`` as Django serialises them, with the pointers, and then the lead is
deleted as before. Nothing that reads leads has to know about the trash: a trashed lead is
simply not there for lists, search, the board, counts, exports, duplicates, reminders, the API
or call matching. Restoring writes the rows back with their own ids, in dependency order.

What may have changed in 30 days is checked on the way back, never assumed:
- a number or the e-mail another lead has taken is left off, and said in ``lead.extra``
  (``numbers_on_other_lead``, ``email_on_other_lead``, ``possible_duplicate_of``) as when
  a lead is created beside a duplicate;
- a row whose required target is gone (a tag deleted meanwhile, a call the retention purge
  removed) is not brought back; an optional pointer to something gone comes back empty; a
  status deleted meanwhile becomes the organisation's first open status;
- a row the database refuses (an open call-back for a number that has another by now) is
  not brought back either. What was left out is counted in the ``lead.restore`` audit event.
Calls with the lead's numbers that arrived while it was in the trash have no lead; restoring
links them (with the calls that pointed at it before), through ``lead_numbers_added``.
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.consent import NOTE_UNSUBSCRIBED_IN_TRASH, lead_consent_changed
from leadtracker.leads.models import (
    Activity,
    ActivityKind,
    ConsentMethod,
    Lead,
    LeadPhone,
    LeadStatus,
    StatusKind,
    TrashedLead,
)
from leadtracker.leads.signals import lead_numbers_added
from leadtracker.leads.trash.selectors import trash_for
from leadtracker.lib.errors import ActionError, Conflict

TRASH_DAYS = 30
SNAPSHOT_VERSION = 1
# Primary keys per IN (…): SQLite's limit on variables is far above, but a lead with years of
# timeline should not meet it.
CHUNK = 500

# Checks a higher app makes before a lead may go to the trash (privacy: not under a legal
# hold). Each takes the lead and raises an ActionError to refuse. Registered at start-up, so
# this app need not import the ones above it.
_guards: list[Callable[[Lead], None]] = []


def add_trash_guard(guard: Callable[[Lead], None]) -> None:
    if guard not in _guards:
        _guards.append(guard)


# --- to the trash ---------------------------------------------------------------------------


def _pks(group) -> set:
    # The collector keeps either model instances or (not yet evaluated) querysets.
    if hasattr(group, "values_list"):
        return set(group.values_list("pk", flat=True))
    return {obj.pk for obj in group}


def _insert_order(models) -> list:
    """``models`` so that each comes after those it has a foreign key to (the lead first)."""
    models = list(models)
    placed: list = []
    while len(placed) < len(models):
        progressed = False
        for model in models:
            if model in placed:
                continue
            targets = {
                f.related_model._meta.concrete_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model
            }
            if not (targets & set(models)) - set(placed):
                placed.append(model)
                progressed = True
        if not progressed:  # a cycle: no model of ours has one, but never loop for ever
            placed += [m for m in models if m not in placed]
    return placed


def _snapshot(lead: Lead) -> tuple[dict, Collector, dict[str, int]]:
    """The lead's rows and the pointers at it, as the collector will delete and empty them."""
    collector = Collector(using=router.db_for_write(Lead), origin=lead)
    collector.collect([lead])
    doomed: dict = defaultdict(set)
    for model, instances in collector.data.items():
        doomed[model] |= {obj.pk for obj in instances}
    for qs in collector.fast_deletes:
        doomed[qs.model] |= _pks(qs)
    links = []
    for (fk, value), groups in collector.field_updates.items():
        model = fk.model
        pks = set().union(*(_pks(g) for g in groups)) - doomed.get(model, set())
        if value is not None or not pks:
            continue  # only SET_NULL exists in our schema; the doomed rows come back whole
        pairs = []
        for chunk in _chunks(sorted(pks)):
            pairs += model._base_manager.filter(pk__in=chunk).values_list("pk", fk.attname)
        links.append({"model": model._meta.label_lower, "field": fk.name, "rows": sorted(pairs)})
    rows = []
    counts = {}
    for model in _insert_order(doomed):
        objs = []
        for chunk in _chunks(sorted(doomed[model])):
            objs += model._base_manager.filter(pk__in=chunk).order_by("pk")
        rows += json.loads(json.dumps(serializers.serialize("python", objs), cls=ExactEncoder))
        counts[model._meta.label_lower] = len(objs)
    return {"version": SNAPSHOT_VERSION, "rows": rows, "links": links}, collector, counts


class ExactEncoder(DjangoJSONEncoder):
    """As Django's, but times keep their microseconds (Django's stops at milliseconds): a
    restored row must be the row that was deleted."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _chunks(values, size=CHUNK):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _spaced(numbers) -> str:
    return f" {' '.join(numbers)} " if numbers else ""


def _may_trash(by: Membership | None) -> None:
    if by is not None and not by.has_role(Role.MANAGER):
        raise ActionError(_("only managers and admins delete leads"), field="lead", status_code=403)


@transaction.atomic
def trash_leads(leads, *, actor: Actor, by: Membership | None, now=None) -> int:
    """Move ``leads`` (a queryset the caller has already narrowed to what ``by`` may see) to
    the trash. Returns how many went. All or none: a refused lead refuses the batch."""
    _may_trash(by)
    now = now or timezone.now()
    qs = leads if by is None else leads.filter(organisation_id=by.organisation_id)
    moved = 0
    for lead in qs.select_for_update(of=("self",)).select_related("organisation").order_by("pk"):
        for guard in _guards:
            guard(lead)
        numbers = list(
            LeadPhone.objects.filter(lead=lead).order_by("position", "pk").values_list("e164", flat=True)
        )
        snapshot, collector, counts = _snapshot(lead)
        TrashedLead.objects.create(
            id=lead.pk,
            organisation_id=lead.organisation_id,
            name=str(lead)[:200],
            numbers=_spaced(numbers),
            email=lead.email,
            owner_id=lead.owner_id,
            deleted_at=now,
            deleted_by=actor.user,
            purge_after=now + dt.timedelta(days=TRASH_DAYS),
            snapshot=snapshot,
        )
        lead_id = lead.pk
        collector.delete()  # which empties lead.pk
        # Counts and ids only: the audit log holds no names or numbers.
        record(
            "lead.trash",
            organisation=lead.organisation,
            actor=actor,
            object_type="lead",
            object_id=str(lead_id),
            changes={"rows": counts, "purge_after": (now + dt.timedelta(days=TRASH_DAYS)).isoformat()},
        )
        moved += 1
    return moved


# --- back from the trash --------------------------------------------------------------------


@dataclass
class Restored:
    lead: Lead
    numbers_on_other_lead: list[str] = field(default_factory=list)
    email_on_other_lead: str = ""
    # What did not come back, per model label, because what it needs is gone or the database
    # refused it now.
    left_out: dict[str, int] = field(default_factory=dict)


def _open_status(org_id) -> LeadStatus | None:
    return (
        LeadStatus.objects.filter(organisation_id=org_id, is_active=True, kind=StatusKind.OPEN)
        .order_by("position", "pk")
        .first()
    )


def _existing(refs: dict) -> set:
    """Which (model, pk) of ``refs`` {model: {pk}} still exist."""
    found = set()
    for model, pks in refs.items():
        for chunk in _chunks(sorted(pks)):
            found |= {
                (model, pk) for pk in model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True)
            }
    return found


def _foreign_keys(obj):
    return [f for f in obj._meta.concrete_fields if f.is_relation and getattr(obj, f.attname) is not None]


def _fix_lead(lead: Lead, result: Restored, gone: set) -> None:
    """Numbers and e-mail another lead took meanwhile, and a status deleted meanwhile."""
    org_id = lead.organisation_id
    if lead.email and Lead.objects.filter(organisation_id=org_id, email=lead.email).exists():
        result.email_on_other_lead = lead.email
        lead.email = ""
    if (LeadStatus, lead.status_id) in gone:
        status = _open_status(org_id)
        if status is None:
            raise Conflict(
                _("its status was deleted and the organisation has no open status left; add one first"),
                field="status",
            )
        lead.status_id = status.pk


def _restore_rows(trashed: TrashedLead, result: Restored) -> Lead:
    org_id = trashed.organisation_id
    objects = [d.object for d in serializers.deserialize("python", trashed.snapshot["rows"])]
    if not objects or not isinstance(objects[0], Lead) or objects[0].pk != trashed.pk:
        raise ActionError(_("this trashed lead cannot be read back"), field="lead", status_code=500)
    restoring = {(type(o), o.pk) for o in objects}
    refs: dict = defaultdict(set)
    for obj in objects:
        for fk in _foreign_keys(obj):
            target = (fk.related_model._meta.concrete_model, getattr(obj, fk.attname))
            if target not in restoring:
                refs[target[0]].add(target[1])
    alive = _existing(refs)
    gone = {(model, pk) for model, pks in refs.items() for pk in pks} - alive
    lead = objects[0]
    if Lead.objects.filter(pk=lead.pk).exists():
        raise Conflict(_("a lead with this id exists"), field="lead")
    _fix_lead(lead, result, gone)
    taken = set(
        LeadPhone.objects.filter(
            organisation_id=org_id, e164__in=[o.e164 for o in objects if isinstance(o, LeadPhone)]
        ).values_list("e164", flat=True)
    )
    result.numbers_on_other_lead = sorted(taken)
    kept_numbers = [o for o in objects if isinstance(o, LeadPhone) and o.e164 not in taken]
    if lead.phone in taken or (lead.phone and not any(p.e164 == lead.phone for p in kept_numbers)):
        first = min(kept_numbers, key=lambda p: (p.position, p.pk), default=None)
        lead.phone, lead.phone_raw = (first.e164, first.raw) if first else ("", "")
    left_out: dict[str, int] = defaultdict(int)
    saved = set()
    for obj in objects:
        model = type(obj)
        label = model._meta.label_lower
        if obj is not lead and isinstance(obj, LeadPhone) and obj.e164 in taken:
            continue  # said in the lead's extra, not counted as lost
        missing = False
        for fk in _foreign_keys(obj):
            target = (fk.related_model._meta.concrete_model, getattr(obj, fk.attname))
            if target in gone or (target in restoring and target not in saved):
                if fk.null:
                    setattr(obj, fk.attname, None)
                else:
                    missing = True
        if missing:
            left_out[label] += 1
            continue
        try:
            with transaction.atomic():
                # save_base(raw=True): the row as it was, without the model's own save()
                # (consent events refuse a save with a primary key; that is the point).
                model.save_base(obj, raw=True, force_insert=True)
        except IntegrityError:
            if obj is lead:
                raise
            left_out[label] += 1
            continue
        saved.add((model._meta.concrete_model, obj.pk))
    result.left_out = dict(left_out)
    return lead


def _relink(trashed: TrashedLead, lead: Lead) -> int:
    """Rows elsewhere that pointed at the lead (or at what came back with it) and were emptied
    when it was trashed point at it again — unless they point somewhere else by now."""
    linked = 0
    for link in trashed.snapshot.get("links", []):
        try:
            model = apps.get_model(link["model"])
            fk = model._meta.get_field(link["field"])
        except (LookupError, KeyError):
            continue  # a model or field removed since: nothing to point back
        by_target: dict = defaultdict(list)
        for pk, target in link["rows"]:
            by_target[target].append(pk)
        target_model = fk.related_model
        for target, pks in by_target.items():
            if not target_model._base_manager.filter(pk=target).exists():
                continue
            for chunk in _chunks(pks):
                linked += model._base_manager.filter(pk__in=chunk, **{f"{fk.name}__isnull": True}).update(
                    **{fk.attname: target}
                )
    return linked


def may_restore(by: Membership, trashed: TrashedLead) -> bool:
    """Whoever may see it in the trash: admins and owners, the lead's managers, its owner."""
    return trash_for(by).filter(pk=trashed.pk).exists()


@transaction.atomic
def restore_lead(trashed: TrashedLead, *, actor: Actor, by: Membership | None) -> Restored:
    """Bring a trashed lead back, with its own id and everything that went with it."""
    trashed = TrashedLead.objects.select_for_update().filter(pk=trashed.pk).first()
    if trashed is None or (by is not None and not may_restore(by, trashed)):
        raise ActionError(_("no such lead in the trash"), field="lead", status_code=404)
    result = Restored(lead=None)
    lead = _restore_rows(trashed, result)
    result.lead = lead
    conflicts = {}
    if result.numbers_on_other_lead:
        conflicts["numbers_on_other_lead"] = result.numbers_on_other_lead
    if result.email_on_other_lead:
        conflicts["email_on_other_lead"] = result.email_on_other_lead
    if conflicts:
        others = LeadPhone.objects.filter(
            organisation_id=lead.organisation_id, e164__in=result.numbers_on_other_lead
        ).values_list("lead_id", flat=True)
        other = next(iter(others), None) or (
            Lead.objects.filter(organisation_id=lead.organisation_id, email=result.email_on_other_lead)
            .values_list("pk", flat=True)
            .first()
        )
        lead.extra = {**lead.extra, **conflicts, "possible_duplicate_of": other}
        Lead.objects.filter(pk=lead.pk).update(extra=lead.extra)
    links = _relink(trashed, lead)
    if trashed.snapshot.get("unsubscribed_at") and lead.marketing_consent:
        # The person used the unsubscribe link while the lead was in the trash.
        lead.marketing_consent = False
        Lead.objects.filter(pk=lead.pk).update(marketing_consent=False)
        lead_consent_changed(
            lead,
            method=ConsentMethod.UNSUBSCRIBE_LINK,
            actor=Actor.system(),
            note=NOTE_UNSUBSCRIBED_IN_TRASH % {"at": trashed.snapshot["unsubscribed_at"][:16]},
        )
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.RESTORED,
        actor=actor.user,
        data={
            "deleted_at": trashed.deleted_at.isoformat(),
            "deleted_by": trashed.deleted_by_id,
            **({"possible_duplicate_of": lead.extra["possible_duplicate_of"]} if conflicts else {}),
        },
    )
    numbers = list(LeadPhone.objects.filter(lead=lead).values_list("e164", flat=True))
    trashed.delete()
    record(
        "lead.restore",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={
            "deleted_at": trashed.deleted_at.isoformat(),
            "links": links,
            "numbers_left_off": len(result.numbers_on_other_lead),
            "email_left_off": bool(result.email_on_other_lead),
            "left_out": result.left_out,
        },
    )
    if numbers:
        # Calls with its numbers that came while it was in the trash belong to no lead: they
        # are its calls again, and so are their open call-backs (calls.receivers).
        lead_numbers_added.send(sender=Lead, lead=lead, numbers=numbers, actor=actor)
    return result


# --- for good -------------------------------------------------------------------------------


def _purge(trashed: TrashedLead, *, actor: Actor, early: bool) -> None:
    lead_id = trashed.pk
    trashed.delete()
    record(
        "lead.purge",
        organisation=trashed.organisation,
        actor=actor,
        object_type="lead",
        object_id=str(lead_id),
        changes={"deleted_at": trashed.deleted_at.isoformat(), "early": early},
    )


@transaction.atomic
def delete_forever(trashed: TrashedLead, *, actor: Actor, by: Membership) -> None:
    """An admin empties one lead from the trash before its time."""
    if not by.has_role(Role.ADMIN):
        raise ActionError(_("only admins and owners delete leads for good"), field="lead", status_code=403)
    trashed = (
        TrashedLead.objects.select_for_update()
        .filter(pk=trashed.pk, organisation_id=by.organisation_id)
        .first()
    )
    if trashed is None:
        raise ActionError(_("no such lead in the trash"), field="lead", status_code=404)
    _purge(trashed, actor=actor, early=True)


def purge_trash(*, now=None) -> dict[str, int]:
    """The nightly job: trashed leads past their 30 days are deleted for good. Returns how
    many went per organisation (by slug)."""
    now = now or timezone.now()
    purged: dict[str, int] = defaultdict(int)
    due = TrashedLead.objects.filter(purge_after__lte=now).select_related("organisation").order_by("pk")
    for trashed in due.iterator(chunk_size=CHUNK):
        with transaction.atomic():
            _purge(trashed, actor=Actor.system(), early=False)
        purged[trashed.organisation.slug] += 1
    return dict(purged)
