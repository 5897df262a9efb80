"""Creating and changing a lead: its fields, numbers, status, notes; deleting it to the trash.

Each function checks the actor's rights, writes the timeline and the audit log, and leaves the
database consistent or unchanged."""

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record, unsaved
from leadtracker.accounts.idempotency import made_marks, made_now
from leadtracker.accounts.models import Membership, Role
from leadtracker.leads import create_rows
from leadtracker.leads.actions.assignment import assign_by_rules
from leadtracker.leads.actions.permissions import _check_can_edit, _may_change, check_owner
from leadtracker.leads.actions.tags import add_tags
from leadtracker.leads.consent import lead_consent_changed
from leadtracker.leads.create_context import CreateContext, create_context
from leadtracker.leads.fields.clean import clean_custom_fields
from leadtracker.leads.fields.display import changed_labels
from leadtracker.leads.models import (
    Activity,
    ActivityKind,
    Lead,
    LeadPhone,
    LeadSource,
    LeadStatus,
    StatusKind,
)
from leadtracker.leads.signals import lead_changed, lead_numbers_added
from leadtracker.leads.trash.actions import trash_leads
from leadtracker.leads.webhooks import emit
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.phones import InvalidPhone, normalise


class DuplicateLead(Conflict):
    def __init__(self, existing: Lead, matched_on: str):
        super().__init__(
            _("a lead with this %(field)s exists (lead %(id)s)") % {"field": matched_on, "id": existing.pk},
            field=matched_on,
        )
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
    # {key: value} of the organisation's custom fields, and the person who typed them (their
    # role decides hidden fields; a person must fill required ones, an import or capture need not).
    custom_fields: dict = field(default_factory=dict)
    fields_by: Membership | None = None
    field_defs: dict | None = None  # {key: CustomField}, read once by an import for every row


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
            message = _("%(raw)s is %(reason)s") % {"raw": repr(raw), "reason": exc}
            raise ActionError(message, field="phone" if i == 0 else f"phones.{i}") from None
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
        raise ActionError(_("%s is not a valid e-mail address") % repr(value), field="email") from None
    return email


def clean_value(value) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).replace(",", "").replace("₹", "").replace("INR", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ActionError(_("%s is not an amount") % repr(value), field="value") from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise ActionError(_("must be between 0 and 999,999,999,999"), field="value")
    return amount.quantize(Decimal("0.01"))


def clean_lead_data(org, data: LeadData) -> CleanLead:
    name = (data.name or "").strip()[:200]
    company = (data.company or "").strip()[:200]
    email = clean_email(data.email)
    phones = clean_phones(data.phones, org.phone_region)
    if not (name or company or email or phones):
        raise ActionError(_("a lead needs a name, a company or a contact"), field="name")
    if not (phones or email):
        raise ActionError(_("a lead needs at least one valid phone number or e-mail"), field="phone")
    if data.status is not None and data.status.organisation_id != org.pk:
        raise ActionError(_("no such status"), field="status")
    if data.source is not None and data.source.organisation_id != org.pk:
        raise ActionError(_("no such source"), field="source")
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
        "custom_fields": clean_custom_fields(
            org,
            data.custom_fields,
            by=data.fields_by,
            require="all" if data.fields_by else "",
            defs=data.field_defs,
        ),
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
        # organisation's leads: 68 ms a lookup at 100,000 leads). No ORDER BY: the index is unique,
        # so there is one lead or none, and ordering by id let PostgreSQL walk the primary key
        # instead on a small table.
        found = Lead.objects.filter(organisation_id=org_id, email=email).exclude(email="").order_by()[:1]
        lead = next(iter(found), None)
        if lead:
            return lead, "email"
    return None


def default_status(org_id: int) -> LeadStatus:
    status = LeadStatus.objects.filter(organisation_id=org_id, is_active=True, kind=StatusKind.OPEN).first()
    if status is None:
        raise ActionError(_("the organisation has no open status; add one in settings"), field="status")
    return status


class _Taken(Exception):  # noqa: N818 - a signal between two functions, never seen outside
    """The insert met the database's one lead per number and per e-mail. Raised inside the
    create's transaction and looked up after its rollback: on PostgreSQL a failed statement
    leaves the transaction unusable, and a savepoint around the insert only to read on would
    cost two statements on every create."""

    def __init__(self, clean: "CleanLead"):
        super().__init__("number or e-mail taken")
        self.clean = clean


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
    try:
        return _create_lead(org, data, actor=actor, by=by, on_duplicate=on_duplicate, auto_assign=auto_assign)
    except _Taken as taken:
        # The number or e-mail was taken between our look and our insert (a form sent twice).
        # Nothing was written before the insert, and its transaction is rolled back by now.
        clean = taken.clean
        dup = find_duplicate(org.pk, [p for p, _ in clean.phones], clean.fields["email"])
        if dup is None:
            raise taken.__cause__ from None
        existing = dup[0]
        if on_duplicate == "skip" or (on_duplicate == "update" and by is None):
            if on_duplicate == "update":
                with transaction.atomic():
                    _fill_from(existing, clean, actor=actor)
            return existing, "skipped" if on_duplicate == "skip" else "updated"
        raise DuplicateLead(*dup) from None


@transaction.atomic
def _create_lead(org, data: LeadData, *, actor, by, on_duplicate, auto_assign) -> tuple[Lead, str]:
    check_owner(by, data.owner_id, org.pk)  # an unknown person is a 404 before any other complaint
    # The organisation's settings a create consults, in one statement (leads/create_context.py).
    context = create_context(org.pk, need_status=data.status is None)
    if not context.has_fields and data.field_defs is None:
        data = replace(data, field_defs={})  # no custom fields: nothing to read them against
    clean = clean_lead_data(org, data)
    if by is not None and by.role == Role.AGENT and clean.fields["owner_id"] is None:
        clean.fields["owner_id"] = by.user_id  # an agent's new lead is theirs
    # Refused on a duplicate: the insert finds it (one lead per number and per e-mail is the
    # database's rule) and says which, so the usual create is spared a look first.
    dup = (
        None
        if on_duplicate == "error"
        else find_duplicate(org.pk, [p for p, _ in clean.phones], clean.fields["email"])
    )
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
    lead = _insert(org, clean, actor=actor, context=context)
    if dup is not None:
        Activity.objects.create(
            organisation=org,
            lead=lead,
            kind=ActivityKind.UPDATED,
            actor=actor.user,
            body="",
            data={"possible_duplicate_of": dup[0].pk},
        )
    if lead.owner_id is None and auto_assign and context.has_rules:
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


def _insert(org, clean: CleanLead, *, actor: Actor, context: CreateContext) -> Lead:
    fields = dict(clean.fields)
    if fields["status"] is None:
        fields["status"] = context.status or default_status(org.pk)  # none open: it says so
    now = made_now()  # a lead made offline was created when it was made
    lead = Lead(organisation=org, created_at=now, updated_at=now, **fields)
    activity_data = {"source": lead.source.name if lead.source else "", **made_marks()}
    try:
        lead.save()
        numbers = [
            LeadPhone(
                organisation=org, lead=lead, e164=p, raw=r, position=i, digits_reversed=p.lstrip("+")[::-1]
            )
            for i, (p, r) in enumerate(clean.phones)
        ]
        # Its numbers, tags, timeline entry and audit event: one statement on PostgreSQL.
        phones, tags = create_rows.write(
            lead,
            numbers,
            clean.tags,
            Activity(
                organisation=org,
                lead=lead,
                kind=ActivityKind.CREATED,
                actor=actor.user,
                at=now,
                data=activity_data,
            ),
            unsaved("lead.create", organisation=org, actor=actor, obj=lead),
        )
    except IntegrityError as exc:
        # Someone else took the number or e-mail: create_lead says whose after the rollback.
        raise _Taken(clean) from exc
    # What the caller shows next (the API's answer) is what was just written: no read back.
    lead._prefetched_objects_cache = {
        "phones": _fetched(lead.phones, phones),
        "tags": _fetched(lead.tags, tags),
    }
    if clean.phones:
        lead_numbers_added.send(sender=Lead, lead=lead, numbers=[p for p, _ in clean.phones], actor=actor)
    if lead.marketing_consent:
        lead_consent_changed(lead, method=clean.consent_method, actor=actor)
    if context.has_hooks:
        emit(lead, "lead.created", {})
    lead_changed.send(
        sender=Lead, lead=lead, event="created", key="created", actor=actor, known=context.known
    )
    return lead


def _fetched(manager, rows: list):
    """A related manager's queryset holding ``rows``, as prefetch_related would leave it."""
    queryset = manager.get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset


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
    if set(clean.fields["custom_fields"]) - set(lead.custom_fields):
        lead.custom_fields = {**clean.fields["custom_fields"], **lead.custom_fields}
        changed.append("custom_fields")
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


def _saved_update(lead: Lead, changed: list[str], actor: Actor, custom: dict | None = None) -> None:
    """Save a lead whose ``changed`` fields were set, with its timeline entry and audit event.
    ``custom``: the timeline line's words for what changed, custom fields by label."""
    lead.updated_at = timezone.now()
    lead.save()
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.UPDATED,
        actor=actor.user,
        data={"fields": changed, **(custom or {})},
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
    "custom_fields",  # a patch: the keys given are set (an empty value clears), the rest stay
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
        raise ActionError(_("this field cannot be changed here"), field=sorted(unknown)[0])
    for key, value in fields.items():
        if value is None and key not in ("source", "value"):
            raise ActionError(_("may not be empty (send an empty string to clear it)"), field=key)
    if "email" in fields:
        fields["email"] = clean_email(fields["email"])
        if (
            fields["email"]
            and Lead.objects.filter(organisation_id=lead.organisation_id, email=fields["email"])
            .exclude(email="")
            .exclude(pk=lead.pk)
            .exists()
        ):
            raise Conflict(_("another lead has this e-mail"), field="email")
    if "value" in fields:
        fields["value"] = clean_value(fields["value"])
    if "custom_fields" in fields:
        fields["custom_fields"] = clean_custom_fields(
            lead.organisation, fields["custom_fields"], current=lead.custom_fields, by=by, require="given"
        )
    if (
        "source" in fields
        and fields["source"] is not None
        and fields["source"].organisation_id != lead.organisation_id
    ):
        raise ActionError(_("no such source"), field="source")
    for key in ("name", "company", "city", "lost_reason"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    changed = [k for k, v in fields.items() if getattr(lead, k) != v]
    custom = None
    if "custom_fields" in changed:
        custom = changed_labels(lead.organisation_id, changed, lead.custom_fields, fields["custom_fields"])
    for key in changed:
        setattr(lead, key, fields[key])
    if not (lead.name or lead.company or lead.email or lead.phone):
        raise ActionError(_("a lead needs a name, a company or a contact"), field="name")
    if not (lead.email or lead.phone):
        raise ActionError(_("a lead needs at least one valid phone number or e-mail"), field="email")
    if changed:
        _saved_update(lead, changed, actor, custom)
    if "marketing_consent" in changed:
        lead_consent_changed(lead, method=consent_method, actor=actor)
    return lead


@transaction.atomic
def set_phones(lead: Lead, raws: list[str], *, actor: Actor, by: Membership | None) -> Lead:
    """Replace the lead's numbers (the first is the main one)."""
    _check_can_edit(lead, by)
    phones = clean_phones(raws, lead.organisation.phone_region)
    if not phones and not lead.email:
        raise ActionError(_("a lead needs at least one valid phone number or e-mail"), field="phones")
    if [p for p, _ in phones] == list(LeadPhone.objects.filter(lead=lead).values_list("e164", flat=True)):
        # The edit form sends the numbers back on every save: the same numbers in the same
        # order (the first is the main one) are no change — nothing to write, log or audit.
        return lead
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
    _check_can_edit(lead, by, adds=False)
    if status.organisation_id != lead.organisation_id:
        raise ActionError(_("no such status"), field="status")
    if status.pk == lead.status_id:
        return lead
    old = lead.status
    lead.status = status
    if status.kind == StatusKind.LOST and lost_reason:
        lead.lost_reason = lost_reason.strip()[:200]
    lead.updated_at = timezone.now()
    lead.save(update_fields=["status", "lost_reason", "updated_at"])
    entry = Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.STATUS,
        actor=actor.user,
        at=made_now(),
        data={
            "from": old.pk,
            "to": status.pk,
            "from_name": old.name,
            "to_name": status.name,
            "to_kind": status.kind,
            **made_marks(),
        },
    )
    record(
        "lead.status",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={"status": [old.pk, status.pk]},
    )
    emit(lead, "lead.status_changed", {"from": old.name, "to": status.name})
    lead_changed.send(sender=Lead, lead=lead, event="status_changed", key=str(entry.pk), actor=actor)
    return lead


@transaction.atomic
def bulk_change_status(leads, status: LeadStatus, *, actor: Actor, by: Membership) -> int:
    count = 0
    for lead in leads.select_related("status", "organisation"):
        if lead.status_id != status.pk:
            change_status(lead, status, actor=actor, by=by)
            count += 1
    return count


def delete_leads(leads, *, actor: Actor, by: Membership) -> int:
    """Deleting a lead moves it to the trash for 30 days (leads/trash/): restorable until the
    nightly job purges it. Erasure (privacy) is the separate, immediate way to remove a person."""
    return trash_leads(leads, actor=actor, by=by)


@transaction.atomic
def add_note(lead: Lead, body: str, *, actor: Actor, by: Membership | None) -> Activity:
    _check_can_edit(lead, by)
    body = (body or "").strip()
    if not body:
        raise ActionError(_("write something"), field="body")
    if len(body) > 10_000:
        raise ActionError(_("at most 10,000 characters"), field="body")
    note = Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.NOTE,
        actor=actor.user,
        body=body,
        at=made_now(),
        data=made_marks(),
    )
    Lead.objects.filter(pk=lead.pk).update(updated_at=timezone.now())
    record("lead.note", organisation=lead.organisation, actor=actor, obj=lead)
    return note
