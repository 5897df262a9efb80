"""Whom an erasure is about (``Target``), with every form their identifiers may have been
written in, and how free text is scrubbed of them."""

from dataclasses import dataclass, field

from django.utils import timezone

from leadtracker.accounts.models import Membership
from leadtracker.leads.models import Lead, LeadPhone
from leadtracker.lib.phones import InvalidPhone, display, normalise, to_ascii_digits

ERASED_MARK = "[erased]"


@dataclass
class Target:
    """Whom an erasure is about, with every form their identifiers may have been written in."""

    org: object
    lead: object = None
    member: object = None
    dry_run: bool = False
    now: object = None
    phones: set[str] = field(default_factory=set)  # E.164
    emails: set[str] = field(default_factory=set)  # lower-cased
    # Strings whose every occurrence in free text is replaced (names, numbers in any format).
    needles: list[str] = field(default_factory=list)
    # Set when the member's profile itself is anonymised (no other active membership).
    whole_user: bool = False
    # A lead in the trash: rows of other tables that pointed at it before it was trashed (their
    # pointer is empty now), by model label; the erasers that look rows up by the lead look here too.
    linked: dict[str, set] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "lead" if self.lead is not None else "member"

    @property
    def user_id(self):
        return self.member.user_id if self.member is not None else None


def _phone_forms(e164: str) -> set[str]:
    digits = e164.lstrip("+")
    forms = {e164, digits, display(e164)}
    if e164.startswith("+91") and len(digits) == 12:
        national = digits[2:]
        forms |= {national, "0" + national, f"{national[:5]} {national[5:]}", f"+91 {national}"}
    elif len(digits) > 10:
        forms.add(digits[-10:])
    return forms


def needles_of(names=(), phones=(), raws=(), emails=()) -> list[str]:
    found = set()
    for name in names:
        name = (name or "").strip()
        # A one- or two-letter "name" would blank unrelated text everywhere.
        if len(name) >= 3:
            found.add(name)
    for e164 in phones:
        found |= _phone_forms(e164)
    found |= {r.strip() for r in raws if r and len(to_ascii_digits(r).strip()) >= 6}
    found |= {e for e in emails if e}
    # Longest first, so "+91 98765 43210" is replaced whole before "98765 43210" inside it.
    return sorted(found, key=lambda s: (-len(s), s))


def scrub(text: str, needles) -> str:
    """``text`` with every needle (case-insensitively) replaced by ERASED_MARK."""
    if not text:
        return text
    lowered = text.casefold()
    for needle in needles:
        low = needle.casefold()
        start = lowered.find(low)
        while start != -1:
            text = text[:start] + ERASED_MARK + text[start + len(needle) :]
            lowered = text.casefold()
            start = lowered.find(low, start + len(ERASED_MARK))
    return text


def lead_target(lead, *, dry_run=False, now=None) -> Target:
    numbers = list(LeadPhone.objects.filter(lead=lead).values_list("e164", "raw"))
    phones = {e164 for e164, _raw in numbers}
    raws = {raw for _e164, raw in numbers} | {lead.phone_raw}
    if lead.phone:
        phones.add(lead.phone)
    emails = {lead.email.strip().lower()} if lead.email else set()
    return Target(
        org=lead.organisation,
        lead=lead,
        dry_run=dry_run,
        now=now or timezone.now(),
        phones=phones,
        emails=emails,
        needles=needles_of(names=[lead.name, lead.company], phones=phones, raws=raws, emails=emails),
    )


def trashed_lead_target(trashed, *, dry_run=False, now=None) -> Target:
    """A lead in the trash, read from its snapshot. ``Target.lead`` is a stand-in with the
    lead's id, never saved: erasers that look rows up by the lead find none in the live tables
    (they went to the trash with it) and find the rows that pointed at it through ``linked``."""
    rows = trashed.snapshot.get("rows", [])
    fields = rows[0]["fields"] if rows and rows[0].get("model") == "leads.lead" else {}
    numbers = [
        (r["fields"]["e164"], r["fields"].get("raw", "")) for r in rows if r.get("model") == "leads.leadphone"
    ]
    phones = {e164 for e164, _raw in numbers} | set(trashed.number_list)
    if fields.get("phone"):
        phones.add(fields["phone"])
    raws = {raw for _e164, raw in numbers} | {fields.get("phone_raw", "")}
    emails = {e.strip().lower() for e in (trashed.email, fields.get("email", "")) if e}
    stand_in = Lead(pk=trashed.pk, organisation=trashed.organisation, name=fields.get("name", ""))
    stand_in._state.adding = False
    linked = {
        link["model"]: {pk for pk, _target in link["rows"]}
        for link in trashed.snapshot.get("links", [])
        if link.get("field") == "lead"
    }
    return Target(
        org=trashed.organisation,
        lead=stand_in,
        dry_run=dry_run,
        now=now or timezone.now(),
        phones=phones,
        emails=emails,
        needles=needles_of(
            names=[fields.get("name", ""), fields.get("company", ""), trashed.name],
            phones=phones,
            raws=raws,
            emails=emails,
        ),
        linked=linked,
    )


def member_target(member, *, dry_run=False, now=None) -> Target:
    user = member.user
    phones = set()
    if user.phone:
        try:
            phones.add(normalise(user.phone, member.organisation.phone_region))
        except InvalidPhone:
            pass
    emails = {user.email.lower()} if user.email else set()
    others = Membership.objects.filter(user_id=user.pk, is_active=True).exclude(pk=member.pk).exists()
    return Target(
        org=member.organisation,
        member=member,
        dry_run=dry_run,
        now=now or timezone.now(),
        phones=phones,
        emails=emails,
        needles=needles_of(names=[user.full_name], phones=phones, raws=[user.phone], emails=emails),
        whole_user=not others,
    )
