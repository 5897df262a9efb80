"""Replaying the erasure ledger after an older backup is restored: whoever it says was erased
is erased again."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from leadtracker.accounts import audit
from leadtracker.accounts.models import Membership, Organisation
from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.models import Lead, LeadPhone, TrashedLead
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise
from leadtracker.privacy.erasure import ledger
from leadtracker.privacy.erasure.actions import erase_lead, erase_member, erase_trashed_lead
from leadtracker.privacy.models import ErasureRecord


def _matches(org, wanted: set[str], key) -> tuple[set[int], set[int], set[str]]:
    """Leads, memberships and stray call numbers of ``org`` whose identifiers hash into ``wanted``.
    Every identifier in the organisation is hashed: hashes cannot be reversed, only recomputed."""

    def hit(kind, value):
        return ledger.identifier_hash(kind, value, key) in wanted

    leads = {
        lid
        for lid, e164 in LeadPhone.objects.filter(organisation=org).values_list("lead_id", "e164").iterator()
        if hit("phone", e164)
    }
    leads |= {
        lid
        for lid, email in Lead.objects.filter(organisation=org)
        .exclude(email="")
        .values_list("pk", "email")
        .iterator()
        if hit("email", email)
    }
    members = set()
    for mid, email, phone in Membership.objects.filter(organisation=org).values_list(
        "pk", "user__email", "user__phone"
    ):
        if hit("email", email):
            members.add(mid)
        elif phone:
            try:
                if hit("phone", normalise(phone, org.phone_region)):
                    members.add(mid)
            except InvalidPhone:
                pass
    numbers = {
        n
        for n in Call.objects.filter(organisation=org)
        .exclude(number="")
        .values_list("number", flat=True)
        .distinct()
        if hit("phone", n)
    }
    return leads, members, numbers


def _trashed_matches(org, wanted: set[str], key):
    """Leads of ``org`` in the trash whose numbers or e-mail hash into ``wanted``."""
    for trashed in TrashedLead.objects.filter(organisation=org).select_related("organisation").iterator():
        identifiers = [("phone", n) for n in trashed.number_list]
        if trashed.email:
            identifiers.append(("email", trashed.email))
        if any(ledger.identifier_hash(kind, v, key) in wanted for kind, v in identifiers):
            yield trashed


def replay_erasures(*, org_slug: str | None = None, now=None) -> dict:
    """Join the ledger file and table (each gets what it lacks), then erase again every lead
    and member of the database whose identifiers match an entry. Idempotent: an erased person
    has no identifiers left to match. Returns counts for the command to print."""
    key = ledger.ledger_key()
    current_key = ledger.key_id(key)
    orgs = Organisation.objects.all()
    if org_slug:
        orgs = orgs.filter(slug=org_slug)
        if not orgs.exists():
            raise ActionError(_("no organisation with slug %(slug)r") % {"slug": org_slug}, field="org")
    orgs = {o.pk: o for o in orgs}
    table = [
        ledger.entry_of(r, orgs[r.organisation_id].slug)
        for r in ErasureRecord.objects.filter(organisation_id__in=orgs)
    ]
    from_file = [e for e in ledger.read_file() if e["org_id"] in orgs]
    in_table = {ledger.identity(e) for e in table}
    in_file = {ledger.identity(e) for e in from_file}
    result = {
        "entries": 0,
        "rows_restored": 0,
        "lines_appended": 0,
        "other_key": 0,
        "leads": 0,
        "members": 0,
        "calls": 0,
    }
    with transaction.atomic():
        for entry in from_file:
            if ledger.identity(entry) in in_table:
                continue
            in_table.add(ledger.identity(entry))
            ErasureRecord.objects.create(
                organisation_id=entry["org_id"],
                subject_kind=entry["kind"],
                identifier_hashes=sorted(entry["hashes"]),
                key_id=entry["key_id"],
                erased_at=dt.datetime.fromisoformat(entry["erased_at"]),
                counts=entry.get("counts", {}),
            )
            result["rows_restored"] += 1
            table.append(entry)
    missing_lines = [e for e in table if ledger.identity(e) not in in_file]
    ledger.append(missing_lines)
    result["lines_appended"] = len(missing_lines)
    result["entries"] = len(table)
    for org_id, org in orgs.items():
        entries = [e for e in table if e["org_id"] == org_id]
        result["other_key"] += sum(1 for e in entries if e["key_id"] != current_key)
        wanted = {h for e in entries if e["key_id"] == current_key for h in e["hashes"]}
        if not wanted:
            continue
        lead_ids, member_ids, numbers = _matches(org, wanted, key)
        for lead in Lead.objects.filter(pk__in=lead_ids).select_related("organisation"):
            if erase_lead(lead, actor=audit.Actor.system(), ledger_entry=False, held_ok=True, now=now):
                result["leads"] += 1
        # A restored backup may hold them in the trash: their copy there goes too.
        for trashed in list(_trashed_matches(org, wanted, key)):
            if erase_trashed_lead(trashed, actor=audit.Actor.system(), ledger_entry=False, now=now):
                result["leads"] += 1
        for member in Membership.objects.filter(pk__in=member_ids).select_related("organisation", "user"):
            if erase_member(member, actor=audit.Actor.system(), ledger_entry=False, held_ok=True, now=now):
                result["members"] += 1
        if numbers:
            # Calls with an erased number and no lead left to erase them with.
            with transaction.atomic():
                result["calls"] += Call.objects.filter(organisation=org, number__in=numbers).update(
                    number="", note=""
                )
                CallBack.objects.filter(organisation=org, number__in=numbers, closed_at__isnull=True).delete()
                CallBack.objects.filter(organisation=org, number__in=numbers).update(number="")
    return result
