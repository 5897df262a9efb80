"""Every write to leads. Each function checks the actor's rights, writes the timeline and
the audit log, and leaves the database consistent or unchanged."""

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role
from leadtracker.attendance.selectors import users_on_shift
from leadtracker.leads.consent import lead_consent_changed, unsubscribe_url
from leadtracker.leads.models import (
    Activity,
    ActivityKind,
    AssignmentRule,
    ConsentMethod,
    FollowUp,
    FollowUpKind,
    Lead,
    LeadPhone,
    LeadSource,
    LeadStatus,
    LeadTag,
    MessageTemplate,
    StatusKind,
    Tag,
    WebhookEndpoint,
)
from leadtracker.leads.selectors import can_assign_to, leads_for
from leadtracker.leads.signals import lead_numbers_added, lead_owner_changed
from leadtracker.leads.trash.actions import trash_leads
from leadtracker.leads.webhooks import BlockedAddress, check_destination, new_secret, queue_event
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.phones import InvalidPhone, normalise
from leadtracker.lib.timeutil import YEAR, check_within


class DuplicateLead(Conflict):
    def __init__(self, existing: Lead, matched_on: str):
        super().__init__(f"a lead with this {matched_on} exists (lead {existing.pk})", field=matched_on)
        self.existing = existing
        self.matched_on = matched_on


@dataclass
class LeadData:
    """A lead's fields as they arrive from a form, the API, an import or a capture —
    cleaned by clean_lead_data() before anything is written."""

    name: str = ""
    company: str = ""
    email: str = ""
    phones: list = field(default_factory=list)  # raw strings, first is the main number
    city: str = ""
    address: str = ""
    source: LeadSource | None = None
    status: LeadStatus | None = None
    owner_id: int | None = None
    value: object = None
    tags: list = field(default_factory=list)
    do_not_call: bool = False
    marketing_consent: bool = False
    lost_reason: str = ""
    extra: dict = field(default_factory=dict)
    created_at: dt.datetime | None = None
    # How the consent above was given, for its history (see leads/consent.py).
    consent_method: str = "form"


@dataclass
class CleanLead:
    fields: dict
    phones: list  # [(e164, raw)]
    tags: list
    consent_method: str = "form"


def clean_phones(raws, region: str) -> list[tuple[str, str]]:
    """Normalised numbers, first one first, without repeats. Raises naming the bad one."""
    out, seen = [], set()
    for i, raw in enumerate(r for r in raws if r and str(r).strip()):
        raw = str(raw).strip()
        try:
            e164 = normalise(raw, region)
        except InvalidPhone as exc:
            raise ActionError(f"{raw!r} is {exc}", field="phone" if i == 0 else f"phones.{i}") from None
        if e164 not in seen:
            seen.add(e164)
            out.append((e164, raw[:64]))
    return out


# Addresses of the everyday shape, a subset of what Django's validator accepts (a test holds
# them to it), skip the validator: it costs ~10 µs, and an import checks 100,000 of them.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*"  # dot-separated words
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"  # labels of at most 63, a TLD
)


def clean_email(value: str) -> str:
    email = (value or "").strip().lower()
    if email.startswith("mailto:"):
        email = email[7:]
    if not email:
        return ""
    if len(email) <= 254 and _PLAIN_EMAIL.fullmatch(email):
        return email
    try:
        validate_email(email)
    except ValidationError:
        raise ActionError(f"{value!r} is not a valid e-mail address", field="email") from None
    return email


def clean_value(value) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).replace(",", "").replace("₹", "").replace("INR", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ActionError(f"{value!r} is not an amount", field="value") from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise ActionError("must be between 0 and 999,999,999,999", field="value")
    return amount.quantize(Decimal("0.01"))


def clean_lead_data(org, data: LeadData) -> CleanLead:
    name = (data.name or "").strip()[:200]
    company = (data.company or "").strip()[:200]
    email = clean_email(data.email)
    phones = clean_phones(data.phones, org.phone_region)
    if not (name or company or email or phones):
        raise ActionError("a lead needs a name, a company or a contact", field="name")
    if not (phones or email):
        raise ActionError("a lead needs at least one valid phone number or e-mail", field="phone")
    if data.status is not None and data.status.organisation_id != org.pk:
        raise ActionError("no such status", field="status")
    if data.source is not None and data.source.organisation_id != org.pk:
        raise ActionError("no such source", field="source")
    tags = sorted({t.strip()[:50] for t in data.tags if t and t.strip()})
    fields = {
        "name": name,
        "company": company,
        "email": email,
        "phone": phones[0][0] if phones else "",
        "phone_raw": phones[0][1] if phones else "",
        "city": (data.city or "").strip()[:100],
        "address": (data.address or "").strip(),
        "source": data.source,
        "status": data.status,
        "owner_id": data.owner_id,
        "value": clean_value(data.value),
        "do_not_call": bool(data.do_not_call),
        "marketing_consent": bool(data.marketing_consent),
        "lost_reason": (data.lost_reason or "").strip()[:200],
        "extra": data.extra or {},
    }
    return CleanLead(fields=fields, phones=phones, tags=tags, consent_method=data.consent_method)


def find_duplicate(org_id: int, phones: list[str], email: str) -> tuple[Lead, str] | None:
    """The existing lead sharing a number or the e-mail, and which one matched."""
    if phones:
        match = (
            LeadPhone.objects.filter(organisation_id=org_id, e164__in=phones).select_related("lead").first()
        )
        if match:
            return match.lead, "phone"
    if email:
        # .exclude(email=""): the unique index on (organisation, email) is partial, and SQLite
        # uses a partial index only when the query repeats its condition (else it scans the
        # organisation's leads: 68 ms a lookup at 100,000 leads).
        lead = Lead.objects.filter(organisation_id=org_id, email=email).exclude(email="").first()
        if lead:
            return lead, "email"
    return None


def default_status(org_id: int) -> LeadStatus:
    status = LeadStatus.objects.filter(organisation_id=org_id, is_active=True, kind=StatusKind.OPEN).first()
    if status is None:
        raise ActionError("the organisation has no open status; add one in settings", field="status")
    return status


def _tag_objects(org_id: int, names: list[str]) -> list[Tag]:
    if not names:
        return []
    Tag.objects.bulk_create([Tag(organisation_id=org_id, name=n) for n in names], ignore_conflicts=True)
    return list(Tag.objects.filter(organisation_id=org_id, name__in=names))


def check_owner(by: Membership | None, owner_id: int | None, org_id: int, field: str = "owner") -> None:
    if owner_id is None:
        return
    if not Membership.objects.filter(organisation_id=org_id, user_id=owner_id, is_active=True).exists():
        # Someone from elsewhere (or nobody): as unknown as another organisation's lead.
        raise ActionError("no such active member in this organisation", field=field, status_code=404)
    if by is not None and not can_assign_to(by, owner_id):
        raise ActionError("you cannot give a lead to that person", field=field, status_code=403)


@transaction.atomic
def create_lead(
    org,
    data: LeadData,
    *,
    actor: Actor,
    by: Membership | None,
    on_duplicate: str = "error",
    auto_assign: bool = True,
) -> tuple[Lead, str]:
    """Create a lead. Returns (lead, outcome): outcome is "created", "updated" (merged into
    the existing duplicate) or "skipped" (the existing duplicate, untouched).

    on_duplicate: "error" raises DuplicateLead; "skip"; "update" fills the existing lead;
    "create" makes a new lead anyway, without the numbers/e-mail another lead holds (the
    database allows one lead per number) and noted as a possible duplicate.
    """
    check_owner(by, data.owner_id, org.pk)  # an unknown person is a 404 before any other complaint
    clean = clean_lead_data(org, data)
    if by is not None and by.role == Role.AGENT and clean.fields["owner_id"] is None:
        clean.fields["owner_id"] = by.user_id  # an agent's new lead is theirs
    dup = find_duplicate(org.pk, [p for p, _ in clean.phones], clean.fields["email"])
    if dup is not None:
        existing, matched_on = dup
        if on_duplicate == "error" or (by is not None and not _may_change(by, existing)):
            # Someone who may not open that lead learns only that it exists: skipping would
            # hand it over, filling it in would change it, and "create anyway" would show its id.
            raise DuplicateLead(existing, matched_on)
        if on_duplicate == "skip":
            return existing, "skipped"
        if on_duplicate == "update":
            _fill_from(existing, clean, actor=actor)
            return existing, "updated"
        clean = _without_conflicts(org.pk, clean, existing)
    try:
        lead = _insert(org, clean, actor=actor)
    except DuplicateLead as exc:
        # The number or e-mail was taken between our look and our insert (a form sent twice).
        if on_duplicate == "skip" or (on_duplicate == "update" and by is None):
            if on_duplicate == "update":
                _fill_from(exc.existing, clean, actor=actor)
            return exc.existing, "skipped" if on_duplicate == "skip" else "updated"
        raise
    if dup is not None:
        Activity.objects.create(
            organisation=org,
            lead=lead,
            kind=ActivityKind.UPDATED,
            actor=actor.user,
            body="",
            data={"possible_duplicate_of": dup[0].pk},
        )
    if lead.owner_id is None and auto_assign:
        assign_by_rules([lead], actor=actor)
    return lead, "created"


def _without_conflicts(org_id, clean: CleanLead, existing: Lead) -> CleanLead:
    taken = set(
        LeadPhone.objects.filter(organisation_id=org_id, e164__in=[p for p, _ in clean.phones]).values_list(
            "e164", flat=True
        )
    )
    phones = [(p, r) for p, r in clean.phones if p not in taken]
    fields = dict(clean.fields)
    conflicts = {"possible_duplicate_of": existing.pk}
    if taken:
        conflicts["numbers_on_other_lead"] = sorted(taken)
    if (
        fields["email"]
        and Lead.objects.filter(organisation_id=org_id, email=fields["email"]).exclude(email="").exists()
    ):
        conflicts["email_on_other_lead"] = fields["email"]
        fields["email"] = ""
    fields["phone"] = phones[0][0] if phones else ""
    fields["phone_raw"] = phones[0][1] if phones else ""
    fields["extra"] = {**fields["extra"], **conflicts}
    return CleanLead(fields=fields, phones=phones, tags=clean.tags, consent_method=clean.consent_method)


def _insert(org, clean: CleanLead, *, actor: Actor) -> Lead:
    fields = dict(clean.fields)
    if fields["status"] is None:
        fields["status"] = default_status(org.pk)
    now = timezone.now()
    lead = Lead(organisation=org, created_at=now, updated_at=now, **fields)
    try:
        with transaction.atomic():
            lead.save()
            LeadPhone.objects.bulk_create(
                [
                    LeadPhone(
                        organisation=org,
                        lead=lead,
                        e164=p,
                        raw=r,
                        position=i,
                        digits_reversed=p.lstrip("+")[::-1],
                    )
                    for i, (p, r) in enumerate(clean.phones)
                ]
            )
    except IntegrityError:
        # Someone else took the number or e-mail between our check and our insert.
        dup = find_duplicate(org.pk, [p for p, _ in clean.phones], fields["email"])
        if dup:
            raise DuplicateLead(*dup) from None
        raise
    if clean.tags:
        LeadTag.objects.bulk_create(
            [LeadTag(organisation=org, lead=lead, tag=t) for t in _tag_objects(org.pk, clean.tags)]
        )
    Activity.objects.create(
        organisation=org,
        lead=lead,
        kind=ActivityKind.CREATED,
        actor=actor.user,
        at=now,
        data={"source": lead.source.name if lead.source else ""},
    )
    record("lead.create", organisation=org, actor=actor, obj=lead)
    if clean.phones:
        lead_numbers_added.send(sender=Lead, lead=lead, numbers=[p for p, _ in clean.phones], actor=actor)
    if lead.marketing_consent:
        lead_consent_changed(lead, method=clean.consent_method, actor=actor)
    _emit(lead, "lead.created", {})
    return lead


RICHER_TEXT_FIELDS = ("name", "company", "city", "address", "lost_reason")


def _fill_from(lead: Lead, clean: CleanLead, *, actor: Actor) -> bool:
    """Add what the incoming data knows and the lead does not; never overwrite. True if
    anything was added."""
    changed = []
    for name in RICHER_TEXT_FIELDS:
        if not getattr(lead, name) and clean.fields[name]:
            setattr(lead, name, clean.fields[name])
            changed.append(name)
    if (
        not lead.email
        and clean.fields["email"]
        and not Lead.objects.filter(organisation_id=lead.organisation_id, email=clean.fields["email"])
        .exclude(email="")
        .exists()
    ):
        lead.email = clean.fields["email"]
        changed.append("email")
    if lead.value is None and clean.fields["value"] is not None:
        lead.value = clean.fields["value"]
        changed.append("value")
    if lead.source_id is None and clean.fields["source"] is not None:
        lead.source = clean.fields["source"]
        changed.append("source")
    added = _add_phones(lead, clean.phones)
    if added:
        changed.append("phones")
    if changed:
        _saved_update(lead, changed, actor)
    if added:
        lead_numbers_added.send(sender=Lead, lead=lead, numbers=added, actor=actor)
    if clean.tags:
        changed += add_tags(lead, clean.tags, actor=actor)
    return bool(changed)


def _saved_update(lead: Lead, changed: list[str], actor: Actor) -> None:
    """Save a lead whose ``changed`` fields were set, with its timeline entry and audit event."""
    lead.updated_at = timezone.now()
    lead.save()
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.UPDATED,
        actor=actor.user,
        data={"fields": changed},
    )
    record("lead.update", organisation=lead.organisation, actor=actor, obj=lead, changes={"fields": changed})


def _add_phones(lead: Lead, phones) -> list[str]:
    """Attach numbers no lead has yet; returns those attached."""
    existing = set(
        LeadPhone.objects.filter(
            organisation_id=lead.organisation_id, e164__in=[p for p, _ in phones]
        ).values_list("e164", flat=True)
    )
    position = LeadPhone.objects.filter(lead=lead).count()
    added = []
    for e164, raw in phones:
        if e164 in existing:
            continue
        LeadPhone.objects.create(
            organisation_id=lead.organisation_id, lead=lead, e164=e164, raw=raw, position=position
        )
        position += 1
        added.append(e164)
    if added and not lead.phone:
        lead.phone, lead.phone_raw = added[0], dict(phones)[added[0]]
    return added


def _may_change(by: Membership, lead: Lead) -> bool:
    if not leads_for(by).filter(pk=lead.pk).exists():
        return False
    return by.role != Role.AGENT or lead.owner_id == by.user_id


def _check_can_edit(lead: Lead, by: Membership | None) -> None:
    if by is None or by.role != Role.AGENT:
        return  # managers and admins reach only leads visibility lets them load
    if lead.owner_id != by.user_id:
        raise ActionError("agents can change only their own leads", field="lead", status_code=403)


EDITABLE_FIELDS = (
    "name",
    "company",
    "email",
    "city",
    "address",
    "source",
    "value",
    "do_not_call",
    "marketing_consent",
    "lost_reason",
)


@transaction.atomic
def update_lead(
    lead: Lead, *, actor: Actor, by: Membership | None, consent_method: str = "form", **fields
) -> Lead:
    """Change a lead's details. Status, owner, phones and tags have their own actions.
    ``consent_method`` says how a change of marketing consent came (for its history)."""
    _check_can_edit(lead, by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ActionError("this field cannot be changed here", field=sorted(unknown)[0])
    for key, value in fields.items():
        if value is None and key not in ("source", "value"):
            raise ActionError("may not be empty (send an empty string to clear it)", field=key)
    if "email" in fields:
        fields["email"] = clean_email(fields["email"])
        if (
            fields["email"]
            and Lead.objects.filter(organisation_id=lead.organisation_id, email=fields["email"])
            .exclude(email="")
            .exclude(pk=lead.pk)
            .exists()
        ):
            raise Conflict("another lead has this e-mail", field="email")
    if "value" in fields:
        fields["value"] = clean_value(fields["value"])
    if (
        "source" in fields
        and fields["source"] is not None
        and fields["source"].organisation_id != lead.organisation_id
    ):
        raise ActionError("no such source", field="source")
    for key in ("name", "company", "city", "lost_reason"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    changed = [k for k, v in fields.items() if getattr(lead, k) != v]
    for key in changed:
        setattr(lead, key, fields[key])
    if not (lead.name or lead.company or lead.email or lead.phone):
        raise ActionError("a lead needs a name, a company or a contact", field="name")
    if not (lead.email or lead.phone):
        raise ActionError("a lead needs at least one valid phone number or e-mail", field="email")
    if changed:
        _saved_update(lead, changed, actor)
    if "marketing_consent" in changed:
        lead_consent_changed(lead, method=consent_method, actor=actor)
    return lead


@transaction.atomic
def set_phones(lead: Lead, raws: list[str], *, actor: Actor, by: Membership | None) -> Lead:
    """Replace the lead's numbers (the first is the main one)."""
    _check_can_edit(lead, by)
    phones = clean_phones(raws, lead.organisation.phone_region)
    if not phones and not lead.email:
        raise ActionError("a lead needs at least one valid phone number or e-mail", field="phones")
    taken = (
        LeadPhone.objects.filter(organisation_id=lead.organisation_id, e164__in=[p for p, _ in phones])
        .exclude(lead=lead)
        .first()
    )
    if taken:
        raise DuplicateLead(taken.lead, "phone")
    LeadPhone.objects.filter(lead=lead).delete()
    LeadPhone.objects.bulk_create(
        [
            LeadPhone(
                organisation_id=lead.organisation_id,
                lead=lead,
                e164=p,
                raw=r,
                position=i,
                digits_reversed=p.lstrip("+")[::-1],
            )
            for i, (p, r) in enumerate(phones)
        ]
    )
    lead.phone, lead.phone_raw = phones[0] if phones else ("", "")
    lead.updated_at = timezone.now()
    lead.save(update_fields=["phone", "phone_raw", "updated_at"])
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.UPDATED,
        actor=actor.user,
        data={"fields": ["phones"]},
    )
    record(
        "lead.update", organisation=lead.organisation, actor=actor, obj=lead, changes={"fields": ["phones"]}
    )
    if phones:
        lead_numbers_added.send(sender=Lead, lead=lead, numbers=[p for p, _ in phones], actor=actor)
    return lead


@transaction.atomic
def change_status(
    lead: Lead, status: LeadStatus, *, actor: Actor, by: Membership | None, lost_reason: str = ""
) -> Lead:
    _check_can_edit(lead, by)
    if status.organisation_id != lead.organisation_id:
        raise ActionError("no such status", field="status")
    if status.pk == lead.status_id:
        return lead
    old = lead.status
    lead.status = status
    if status.kind == StatusKind.LOST and lost_reason:
        lead.lost_reason = lost_reason.strip()[:200]
    lead.updated_at = timezone.now()
    lead.save(update_fields=["status", "lost_reason", "updated_at"])
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.STATUS,
        actor=actor.user,
        data={
            "from": old.pk,
            "to": status.pk,
            "from_name": old.name,
            "to_name": status.name,
            "to_kind": status.kind,
        },
    )
    record(
        "lead.status",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={"status": [old.pk, status.pk]},
    )
    _emit(lead, "lead.status_changed", {"from": old.name, "to": status.name})
    return lead


@transaction.atomic
def assign_lead(
    lead: Lead, owner_id: int | None, *, actor: Actor, by: Membership | None, reason: str = "manual"
) -> Lead:
    if by is not None:
        if by.role == Role.AGENT:
            raise ActionError("agents cannot reassign leads", field="owner", status_code=403)
        check_owner(by, owner_id, lead.organisation_id)
    if lead.owner_id == owner_id:
        return lead
    old = lead.owner_id
    lead.owner_id = owner_id
    lead.updated_at = timezone.now()
    lead.save(update_fields=["owner", "updated_at"])
    # The lead's open follow-ups go with it: its new owner works them, and nobody keeps a task
    # on a lead they can no longer open.
    FollowUp.objects.filter(lead=lead).open().update(assignee_id=owner_id)
    lead_owner_changed.send(sender=Lead, lead=lead, old_owner_id=old, new_owner_id=owner_id)
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.OWNER,
        actor=actor.user,
        data={"from": old, "to": owner_id, "reason": reason},
    )
    record(
        "lead.assign",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={"owner": [old, owner_id], "reason": reason},
    )
    _emit(lead, "lead.assigned", {"owner_id": owner_id, "reason": reason})
    return lead


def owners_by_rules(org_id: int, source_ids: list[int | None]) -> list[tuple[int, int] | None]:
    """Round-robin for unowned leads, named by their source: the first active rule for the
    source (or for any source) gives each lead to its next agent on shift. For many leads (an
    import's batch) as if they arrived one by one: each rule is locked once, and its turn moves
    on by as many leads as it handed out, so leads arriving together get consecutive agents.
    (owner id, rule id) for each lead, or None where no rule or no agent takes it."""
    active = AssignmentRule.objects.filter(organisation_id=org_id, is_active=True).order_by("position", "id")
    general, by_source = None, {}
    for pk, source_id in active.values_list("pk", "source_id"):
        if source_id is None:
            general = general or pk
        else:
            by_source.setdefault(source_id, pk)
    chosen = [(by_source.get(source_id) if source_id else None) or general for source_id in source_ids]
    if not any(chosen):
        return [None] * len(source_ids)
    picks = []
    with transaction.atomic():
        rules = AssignmentRule.objects.select_for_update().filter(pk__in=set(chosen) - {None}).order_by("pk")
        turns = {rule.pk: rule.turn for rule in rules}
        agents_of = {rule.pk: _rule_agents(org_id, rule) for rule in rules}
        for rule_id in chosen:
            agents, on_shift = agents_of.get(rule_id, ([], set()))
            pick = None
            # Walk the rotation from the rule's turn to the first agent who may take the lead, so
            # turns stay in order and nobody is skipped who was available.
            for step in range(len(agents)):
                candidate = agents[(turns[rule_id] + step) % len(agents)]
                if candidate in on_shift:
                    pick = (candidate, rule_id)
                    turns[rule_id] += step + 1
                    break
            picks.append(pick)
        for rule in rules:
            if turns[rule.pk] != rule.turn:
                AssignmentRule.objects.filter(pk=rule.pk).update(turn=turns[rule.pk])
    return picks


def _rule_agents(org_id: int, rule: AssignmentRule) -> tuple[list[int], set[int]]:
    """The rule's active agents in rotation order, and those of them who may take a lead now."""
    agents = list(
        Membership.objects.filter(organisation_id=org_id, is_active=True, user__in=rule.agents.all())
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return agents, users_on_shift(org_id, agents) if rule.only_on_shift else set(agents)


@transaction.atomic
def assign_by_rules(leads: list[Lead], *, actor: Actor) -> list[int | None]:
    """Give each of one organisation's unowned leads to the next agent of its rule (see
    owners_by_rules); the owner each lead got, or None."""
    if not leads:
        return []
    picks = owners_by_rules(leads[0].organisation_id, [lead.source_id for lead in leads])
    for lead, pick in zip(leads, picks, strict=True):
        if pick is not None:
            assign_lead(lead, pick[0], actor=actor, by=None, reason=f"rule:{pick[1]}")
    return [pick[0] if pick else None for pick in picks]


@transaction.atomic
def bulk_assign(leads, owner_id: int | None, *, actor: Actor, by: Membership) -> int:
    count = 0
    for lead in leads.select_for_update():
        if lead.owner_id != owner_id:
            assign_lead(lead, owner_id, actor=actor, by=by, reason="bulk")
            count += 1
    return count


@transaction.atomic
def bulk_change_status(leads, status: LeadStatus, *, actor: Actor, by: Membership) -> int:
    count = 0
    for lead in leads.select_related("status", "organisation"):
        if lead.status_id != status.pk:
            change_status(lead, status, actor=actor, by=by)
            count += 1
    return count


def _add_tags(lead: Lead, names: list[str]) -> list[Tag]:
    """Give the lead these tags; returns the tags it did not have."""
    names = sorted({n.strip()[:50] for n in names if n and n.strip()})
    had = set(LeadTag.objects.filter(lead=lead).values_list("tag__name", flat=True))
    tags = [t for t in _tag_objects(lead.organisation_id, names) if t.name not in had]
    LeadTag.objects.bulk_create(
        [LeadTag(organisation_id=lead.organisation_id, lead=lead, tag=t) for t in tags], ignore_conflicts=True
    )
    return tags


def _record_tags(lead: Lead, actor: Actor, *, added: list[int], removed: list[int]) -> None:
    # Tag ids, not names: a tag's name is the organisation's free text and may name a person.
    if added or removed:
        changes = {"added": sorted(added), "removed": sorted(removed)}
        record("lead.tags", organisation=lead.organisation, actor=actor, obj=lead, changes=changes)


@transaction.atomic
def add_tags(lead: Lead, names: list[str], *, actor: Actor) -> list[str]:
    """Returns the names of the tags the lead did not have."""
    tags = _add_tags(lead, names)
    _record_tags(lead, actor, added=[t.pk for t in tags], removed=[])
    return [t.name for t in tags]


@transaction.atomic
def set_tags(lead: Lead, names: list[str], *, actor: Actor, by: Membership | None) -> None:
    _check_can_edit(lead, by)
    names = sorted({n.strip()[:50] for n in names if n and n.strip()})
    gone = LeadTag.objects.filter(lead=lead).exclude(tag__name__in=names)
    removed = list(gone.values_list("tag_id", flat=True))
    if removed:
        LeadTag.objects.filter(lead=lead, tag_id__in=removed).delete()
    added = _add_tags(lead, names)
    _record_tags(lead, actor, added=[t.pk for t in added], removed=removed)


def delete_leads(leads, *, actor: Actor, by: Membership) -> int:
    """Deleting a lead moves it to the trash for 30 days (leads/trash/): restorable until the
    nightly job purges it. Erasure (privacy) is the separate, immediate way to remove a person."""
    return trash_leads(leads, actor=actor, by=by)


@transaction.atomic
def add_note(lead: Lead, body: str, *, actor: Actor, by: Membership | None) -> Activity:
    _check_can_edit(lead, by)
    body = (body or "").strip()
    if not body:
        raise ActionError("write something", field="body")
    if len(body) > 10_000:
        raise ActionError("at most 10,000 characters", field="body")
    note = Activity.objects.create(
        organisation_id=lead.organisation_id, lead=lead, kind=ActivityKind.NOTE, actor=actor.user, body=body
    )
    Lead.objects.filter(pk=lead.pk).update(updated_at=timezone.now())
    record("lead.note", organisation=lead.organisation, actor=actor, obj=lead)
    return note


def _refresh_next_follow_up(lead: Lead) -> None:
    nxt = FollowUp.objects.filter(lead=lead).open().aggregate(m=Min("due_at"))["m"]
    Lead.objects.filter(pk=lead.pk).update(next_follow_up_at=nxt)
    lead.next_follow_up_at = nxt


@transaction.atomic
def schedule_follow_up(
    lead: Lead,
    *,
    due_at: dt.datetime,
    kind: str = FollowUpKind.CALL,
    assignee_id: int | None = None,
    note: str = "",
    remind_minutes_before: int = 15,
    actor: Actor,
    by: Membership | None,
) -> FollowUp:
    _check_can_edit(lead, by)
    Lead.objects.select_for_update().filter(pk=lead.pk).first()  # one writer of next_follow_up_at
    _check_kind(kind)
    _check_due_at(due_at)
    _check_remind_minutes(remind_minutes_before)
    assignee_id = assignee_id or lead.owner_id or (by.user_id if by else None)
    if assignee_id not in ((by.user_id if by else None), lead.owner_id):
        check_owner(by, assignee_id, lead.organisation_id, field="assignee_id")
        _check_assignee_sees(lead, assignee_id)
    fu = FollowUp.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        assignee_id=assignee_id,
        kind=kind,
        due_at=due_at,
        note=(note or "").strip(),
        remind_minutes_before=remind_minutes_before,
        created_by=actor.user,
    )
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.FOLLOW_UP,
        actor=actor.user,
        follow_up=fu,
        body=fu.note,
        data={"kind": kind, "due_at": due_at.isoformat()},
    )
    _refresh_next_follow_up(lead)
    record("lead.follow_up", organisation=lead.organisation, actor=actor, obj=lead, changes={"kind": kind})
    return fu


@transaction.atomic
def complete_follow_up(fu: FollowUp, *, outcome: str = "", actor: Actor, by: Membership | None) -> FollowUp:
    _check_can_edit(fu.lead, by)
    Lead.objects.select_for_update().filter(pk=fu.lead_id).first()
    done_at, outcome = timezone.now(), (outcome or "").strip()[:200]
    # Conditional, so two taps on "Done" complete it once.
    if not FollowUp.objects.open().filter(pk=fu.pk).update(done_at=done_at, outcome=outcome):
        _refuse_closed(fu)
    fu.done_at, fu.outcome = done_at, outcome
    Activity.objects.create(
        organisation_id=fu.organisation_id,
        lead=fu.lead,
        kind=ActivityKind.FOLLOW_UP_DONE,
        actor=actor.user,
        follow_up=fu,
        body=fu.outcome,
        data={"kind": fu.kind},
    )
    _refresh_next_follow_up(fu.lead)
    Lead.objects.filter(pk=fu.lead_id).update(last_contacted_at=fu.done_at, updated_at=fu.done_at)
    record("lead.follow_up_done", organisation=fu.lead.organisation, actor=actor, obj=fu.lead)
    return fu


def _check_kind(kind: str) -> None:
    if kind not in FollowUpKind.values:
        raise ActionError(f"must be one of {', '.join(FollowUpKind.values)}", field="kind")


# A follow-up is planned within five years, and one may be noted up to a year late. Beyond that
# it is a typo (a wrong year), and a time near 9999 cannot even be shown in the organisation's zone.
FOLLOW_UP_PAST = YEAR
FOLLOW_UP_FUTURE = 5 * YEAR


def _check_due_at(due_at, *, was=None) -> None:
    """``was``: the follow-up's time before a change; keeping it (an edit of the note of a
    follow-up overdue for over a year) is no new time to check."""
    if due_at is None or timezone.is_naive(due_at):
        raise ActionError("give a date and time with a time zone", field="due_at")
    if due_at != was:
        check_within(due_at, "due_at", past=FOLLOW_UP_PAST, future=FOLLOW_UP_FUTURE)


def _check_remind_minutes(minutes) -> None:
    if minutes is None or not 0 <= minutes <= 7 * 24 * 60:
        raise ActionError("between 0 and 10080 minutes", field="remind_minutes_before")


def _refuse_closed(fu: FollowUp) -> None:
    """Raise the 409 for a follow-up that is no longer open, saying how it ended."""
    state = FollowUp.objects.get(pk=fu.pk).state
    raise Conflict(f"this follow-up is already {state}; plan a new one", field="follow_up")


FOLLOW_UP_EDITABLE = ("due_at", "kind", "note", "assignee_id", "remind_minutes_before")


@transaction.atomic
def update_follow_up(fu: FollowUp, *, actor: Actor, by: Membership | None, **fields) -> FollowUp:
    """Change an open follow-up: when, what, who, the note, the reminder. A done or cancelled
    one is history and stays as it was (409)."""
    lead = fu.lead
    _check_can_edit(lead, by)
    Lead.objects.select_for_update().filter(pk=lead.pk).first()  # one writer of next_follow_up_at
    fu = FollowUp.objects.select_for_update().get(pk=fu.pk)
    if fu.state != "open":
        _refuse_closed(fu)
    unknown = set(fields) - set(FOLLOW_UP_EDITABLE)
    if unknown:
        raise ActionError("this field cannot be changed here", field=sorted(unknown)[0])
    if "kind" in fields:
        _check_kind(fields["kind"])
    if "due_at" in fields:
        _check_due_at(fields["due_at"], was=fu.due_at)
    if "remind_minutes_before" in fields:
        _check_remind_minutes(fields["remind_minutes_before"])
    if "note" in fields:
        if fields["note"] is None:
            raise ActionError("may not be empty (send an empty string to clear it)", field="note")
        fields["note"] = fields["note"].strip()
        if len(fields["note"]) > 2000:
            raise ActionError("at most 2,000 characters", field="note")
    if "assignee_id" in fields:
        if fields["assignee_id"] is None:
            raise ActionError("a follow-up needs someone to do it", field="assignee_id")
        if fields["assignee_id"] != fu.assignee_id:
            check_owner(by, fields["assignee_id"], lead.organisation_id, field="assignee_id")
            _check_assignee_sees(lead, fields["assignee_id"])
    changed = [k for k, v in fields.items() if getattr(fu, k) != v]
    if not changed:
        return fu
    old_remind_at, old_assignee = fu.remind_at, fu.assignee_id
    for key in changed:
        setattr(fu, key, fields[key])
    fu.save()  # recomputes remind_at
    if fu.remind_at != old_remind_at or fu.assignee_id != old_assignee:
        # The reminder belongs to a person and a moment; change either and it is owed again
        # (an agent who moved a call to tomorrow wants tomorrow's reminder too).
        FollowUp.objects.filter(pk=fu.pk).update(reminder_sent_at=None)
        fu.reminder_sent_at = None
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.FOLLOW_UP_CHANGED,
        actor=actor.user,
        follow_up=fu,
        body=fu.note,
        data={"kind": fu.kind, "due_at": fu.due_at.isoformat(), "fields": changed},
    )
    _refresh_next_follow_up(lead)
    record(
        "lead.follow_up_update",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={"follow_up": fu.pk, "fields": changed},
    )
    return fu


def _check_assignee_sees(lead: Lead, user_id: int) -> None:
    """A follow-up is done by someone who can open its lead: the agenda shows only such
    follow-ups, so one given to anyone else would silently never be seen."""
    member = Membership.objects.get(organisation_id=lead.organisation_id, user_id=user_id, is_active=True)
    if not leads_for(member).filter(pk=lead.pk).exists():
        raise ActionError(
            "that person cannot open this lead; assign the lead to them first", field="assignee_id"
        )


@transaction.atomic
def cancel_follow_up(fu: FollowUp, *, reason: str = "", actor: Actor, by: Membership | None) -> FollowUp:
    """Call off a follow-up that will not happen. It is kept, marked with who and when (see
    FollowUp), and leaves the agenda, the reminders and the lead's next follow-up."""
    _check_can_edit(fu.lead, by)
    Lead.objects.select_for_update().filter(pk=fu.lead_id).first()
    now, reason = timezone.now(), (reason or "").strip()[:200]
    # Conditional, like "Done": a follow-up is closed once, by whichever came first.
    if (
        not FollowUp.objects.open()
        .filter(pk=fu.pk)
        .update(cancelled_at=now, cancelled_by=actor.user, outcome=reason)
    ):
        _refuse_closed(fu)
    fu.refresh_from_db()
    Activity.objects.create(
        organisation_id=fu.organisation_id,
        lead=fu.lead,
        kind=ActivityKind.FOLLOW_UP_CANCELLED,
        actor=actor.user,
        follow_up=fu,
        body=reason,
        data={"kind": fu.kind, "due_at": fu.due_at.isoformat()},
    )
    _refresh_next_follow_up(fu.lead)
    record(
        "lead.follow_up_cancel",
        organisation=fu.lead.organisation,
        actor=actor,
        obj=fu.lead,
        changes={"follow_up": fu.pk},
    )
    return fu


# --- merge ---------------------------------------------------------------------------


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
        raise ActionError("a lead cannot be merged with itself", field="duplicate")
    if primary.organisation_id != duplicate.organisation_id:
        raise ActionError("no such lead", field="duplicate", status_code=404)
    if by is not None and not by.has_role(Role.MANAGER):
        raise ActionError("only managers and admins merge leads", field="lead", status_code=403)
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
            note=f"merged with lead {duplicate.pk}, which had no marketing consent",
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


# --- pipeline settings -----------------------------------------------------------------


@transaction.atomic
def save_statuses(
    org, rows: list[dict], *, actor: Actor, move_to: dict[int, int] | None = None
) -> list[LeadStatus]:
    """Replace the pipeline: rows of {"id"?, "name", "kind"} in order. A removed status still
    used by leads is hidden, unless ``move_to`` names a status that stays for it ({removed id:
    kept id}, as the web asks): then its leads move there, each with its timeline entry, and
    it is deleted."""
    if not rows:
        raise ActionError("the pipeline needs at least one status", field="statuses")
    names = [(r.get("name") or "").strip() for r in rows]
    if any(not n for n in names):
        raise ActionError("every status needs a name", field="statuses")
    if len(set(n.lower() for n in names)) != len(names):
        raise ActionError("two statuses have the same name", field="statuses")
    if not any(r.get("kind", StatusKind.OPEN) == StatusKind.OPEN for r in rows):
        raise ActionError("at least one status must be open", field="statuses")
    existing = {s.pk: s for s in LeadStatus.objects.filter(organisation=org)}
    kept = []
    # Rename to temporary names first so swaps of names do not trip the unique constraint.
    for s in existing.values():
        LeadStatus.objects.filter(pk=s.pk).update(name=f"~{s.pk}~")
    for position, (row, name) in enumerate(zip(rows, names, strict=True)):
        kind = row.get("kind", StatusKind.OPEN)
        if kind not in StatusKind.values:
            raise ActionError(
                f"kind must be one of {', '.join(StatusKind.values)}", field=f"statuses.{position}.kind"
            )
        status = existing.get(row.get("id")) if row.get("id") else None
        if status is None:
            # A hidden status of that name (removed while still in use) comes back, not a twin.
            status = next(
                (
                    x
                    for x in existing.values()
                    if not x.is_active and x.name.lower() == name.lower() and x.pk not in {k.pk for k in kept}
                ),
                None,
            ) or LeadStatus(organisation=org)
        status.name, status.kind, status.position, status.is_active = name, kind, position, True
        status.save()
        kept.append(status)
    kept_ids = {s.pk for s in kept}
    kept_by_id = {s.pk: s for s in kept}
    moved = {}
    for s in existing.values():
        if s.pk in kept_ids:
            continue
        target = kept_by_id.get((move_to or {}).get(s.pk))
        if target is not None:
            # Ids first: rows are not changed under an open cursor (SQLite does not isolate it).
            ids = list(Lead.objects.filter(status=s).values_list("pk", flat=True))
            for start in range(0, len(ids), 500):
                chunk = Lead.objects.filter(pk__in=ids[start : start + 500]).select_related("organisation")
                for lead in chunk:
                    lead.status = s  # its name as it was, for the timeline (the row is renamed above)
                    change_status(lead, target, actor=actor, by=None)
            moved[s.pk] = len(ids)
        if Lead.objects.filter(status=s).exists():
            LeadStatus.objects.filter(pk=s.pk).update(is_active=False, name=s.name, position=len(kept) + s.pk)
        else:
            s.delete()
    changes = {"statuses": [s.pk for s in kept]}
    if moved:
        changes["moved"] = {str(k): {"to": move_to[k], "leads": n} for k, n in moved.items()}
    record(
        "pipeline.update",
        organisation=org,
        actor=actor,
        object_type="pipeline",
        object_id=str(org.pk),
        changes=changes,
    )
    return kept


@transaction.atomic
def create_source(org, name: str, *, actor: Actor) -> LeadSource:
    name = (name or "").strip()
    if not name:
        raise ActionError("give the source a name", field="name")
    if LeadSource.objects.filter(organisation=org, name__iexact=name).exists():
        raise Conflict("a source with this name exists", field="name")
    source = LeadSource.objects.create(organisation=org, name=name[:80])
    record("source.create", organisation=org, actor=actor, obj=source)
    return source


def source_named(org, name: str, *, actor: Actor | None = None) -> LeadSource | None:
    """The source with this name, created on first use (imports and captures name sources).
    A source made here is audited as ``create_source`` is; without an actor (an import job,
    a capture form) the system made it."""
    name = (name or "").strip()[:80]
    if not name:
        return None
    source = LeadSource.objects.filter(organisation=org, name__iexact=name).first()
    if source is None:
        source, created = LeadSource.objects.get_or_create(organisation=org, name=name)
        if created:
            record("source.create", organisation=org, actor=actor or Actor.system(), obj=source)
    return source


@transaction.atomic
def save_assignment_rule(
    org,
    *,
    name: str,
    only_on_shift: bool = False,
    agent_ids: list[int],
    source: LeadSource | None = None,
    rule: AssignmentRule | None = None,
    is_active: bool = True,
    actor: Actor,
) -> AssignmentRule:
    name = (name or "").strip()
    if not name:
        raise ActionError("give the rule a name", field="name")
    agents = list(
        Membership.objects.filter(organisation=org, is_active=True, user_id__in=agent_ids).values_list(
            "user_id", flat=True
        )
    )
    if len(agents) != len(set(agent_ids)):
        raise ActionError("no such active member in this organisation", field="agents", status_code=404)
    if not agents:
        raise ActionError("choose one or more active members of this organisation", field="agents")
    if source is not None and source.organisation_id != org.pk:
        raise ActionError("no such source", field="source")
    rule = rule or AssignmentRule(organisation=org)
    rule.name, rule.source, rule.is_active, rule.only_on_shift = name[:80], source, is_active, only_on_shift
    rule.save()
    # The through rows carry the organisation; set() adds only the missing ones and removes the rest.
    rule.agents.set(agents, through_defaults={"organisation": org})
    record(
        "assignment_rule.save", organisation=org, actor=actor, obj=rule, changes={"agents": sorted(agents)}
    )
    return rule


@transaction.atomic
def save_webhook(org, *, url: str, events: list[str], actor: Actor, endpoint=None, is_active: bool = True):
    """Create or change a webhook endpoint. Only http(s) URLs; a new endpoint gets a secret."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ActionError("must be an http:// or https:// address", field="url")
    try:
        check_destination(url)
    except BlockedAddress as exc:
        raise ActionError(str(exc), field="url") from None
    unknown = sorted(set(events) - set(WebhookEndpoint.EVENTS))
    if unknown or not events:
        raise ActionError(f"choose from {', '.join(WebhookEndpoint.EVENTS)}", field="events")
    endpoint = endpoint or WebhookEndpoint(organisation=org, secret=new_secret())
    endpoint.url, endpoint.events, endpoint.is_active = url[:500], sorted(set(events)), is_active
    endpoint.save()
    record("webhook.save", organisation=org, actor=actor, obj=endpoint, changes={"events": endpoint.events})
    return endpoint


@transaction.atomic
def delete_webhook(endpoint, *, actor: Actor) -> None:
    record("webhook.delete", organisation=endpoint.organisation, actor=actor, obj=endpoint)
    endpoint.delete()


@transaction.atomic
def rotate_webhook_secret(endpoint, *, actor: Actor):
    """A new signing secret, in force at once (a leaked one stops being useful the moment it
    is replaced). Deliveries still queued are signed when sent, so they carry the new one;
    the receiver should accept both while it switches over."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    record("webhook.secret", organisation=endpoint.organisation, actor=actor, obj=endpoint)
    return endpoint


@transaction.atomic
def delete_assignment_rule(rule: AssignmentRule, *, actor: Actor) -> None:
    record("assignment_rule.delete", organisation=rule.organisation, actor=actor, obj=rule)
    rule.delete()


@transaction.atomic
def rotate_capture_key(source: LeadSource, *, actor: Actor) -> LeadSource:
    """Turn on web capture for a source, or replace its key (the old one stops at once)."""
    source.capture_key = secrets.token_urlsafe(24)
    source.save(update_fields=["capture_key"])
    record("source.capture_key", organisation=source.organisation, actor=actor, obj=source)
    return source


@transaction.atomic
def disable_capture(source: LeadSource, *, actor: Actor) -> LeadSource:
    source.capture_key = ""
    source.save(update_fields=["capture_key"])
    record("source.capture_off", organisation=source.organisation, actor=actor, obj=source)
    return source


TEMPLATE_PLACEHOLDERS = ("name", "company", "agent", "organisation", "unsubscribe_url")


def render_template(body: str, *, lead: Lead, agent_name: str, organisation_name: str) -> str:
    """Fill the placeholders; an unknown one is left as typed rather than failing."""
    values = {
        "name": lead.name or "",
        "company": lead.company or "",
        "agent": agent_name,
        "organisation": organisation_name,
    }
    if "{unsubscribe_url}" in body:  # signing costs a little: only when the text asks for it
        values["unsubscribe_url"] = unsubscribe_url(lead)
    out = body
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return " ".join(out.split(" ")).strip()


@transaction.atomic
def save_message_template(org, *, name: str, body: str, actor: Actor, template=None):
    name, body = (name or "").strip(), (body or "").strip()
    if not name:
        raise ActionError("give the template a name", field="name")
    if not body or len(body) > 1000:
        raise ActionError("write the message (at most 1,000 characters)", field="body")
    clash = MessageTemplate.objects.filter(organisation=org, name__iexact=name)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise Conflict("a template with this name exists", field="name")
    template = template or MessageTemplate(
        organisation=org, position=MessageTemplate.objects.filter(organisation=org).count()
    )
    template.name, template.body = name[:60], body
    template.save()
    record("message_template.save", organisation=org, actor=actor, obj=template)
    return template


@transaction.atomic
def delete_message_template(template, *, actor: Actor) -> None:
    record("message_template.delete", organisation=template.organisation, actor=actor, obj=template)
    template.delete()


# --- tags ------------------------------------------------------------------------------


def _clean_tag_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ActionError("give the tag a name", field="name")
    if len(name) > 50:
        raise ActionError("at most 50 characters", field="name")
    if "," in name:
        # The web forms take tags as a comma-separated list: such a tag could never be typed.
        raise ActionError("a tag cannot contain a comma", field="name")
    return name


def _check_tag_name_free(org_id: int, name: str, tag: Tag | None = None) -> None:
    # Case-insensitively, like sources and templates: "VIP" and "vip" side by side in the
    # filter would split the leads between them.
    clash = Tag.objects.filter(organisation_id=org_id, name__iexact=name)
    if tag is not None:
        clash = clash.exclude(pk=tag.pk)
    if clash.exists():
        raise Conflict("a tag with this name exists", field="name")


@transaction.atomic
def create_tag(org, name: str, *, actor: Actor) -> Tag:
    name = _clean_tag_name(name)
    _check_tag_name_free(org.pk, name)
    try:
        with transaction.atomic():
            tag = Tag.objects.create(organisation=org, name=name)
    except IntegrityError:  # the same name created between our look and our insert
        raise Conflict("a tag with this name exists", field="name") from None
    record("tag.create", organisation=org, actor=actor, obj=tag)
    return tag


@transaction.atomic
def rename_tag(tag: Tag, name: str, *, actor: Actor) -> Tag:
    """Rename a tag everywhere at once: leads point at the tag, not at its name."""
    name = _clean_tag_name(name)
    if name == tag.name:
        return tag
    _check_tag_name_free(tag.organisation_id, name, tag)
    try:
        with transaction.atomic():
            Tag.objects.filter(pk=tag.pk).update(name=name)
    except IntegrityError:
        raise Conflict("a tag with this name exists", field="name") from None
    tag.name = name
    record("tag.rename", organisation=tag.organisation, actor=actor, obj=tag, changes={"fields": ["name"]})
    return tag


@transaction.atomic
def delete_tag(tag: Tag, *, actor: Actor) -> int:
    """Remove a tag from the organisation and from every lead that had it. Returns how many
    leads had it (recorded, since the change reaches leads the caller may not see)."""
    count = LeadTag.objects.filter(tag=tag).count()
    record("tag.delete", organisation=tag.organisation, actor=actor, obj=tag, changes={"leads": count})
    tag.delete()
    return count


# --- outgoing events -------------------------------------------------------------------


def _emit(lead: Lead, event: str, data: dict) -> None:
    """Queue webhook deliveries for this event (sent by the worker after the commit)."""
    queue_event(lead.organisation_id, [lead.pk], event, data)
