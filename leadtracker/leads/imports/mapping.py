"""What an imported sheet's columns and values become: each header is mapped to a lead field
(FIELDS, by the spellings other CRMs export), and the values of the status and owner columns
to this organisation's statuses and members.

A team leaving another CRM brings that CRM's words: Zoho's "Junk Lead", HubSpot's
"IN_PROGRESS", Salesforce's "Closed - Converted", or habit ("Hot", "Site Visit Done"). None of
them may cost a lead. Each distinct value is resolved once — by the person's own choice, else by
an exact status name, else by the table below, else to the organisation's first open status —
and every value that was not taken as it stood is reported as a warning with what it became.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from leadtracker.accounts.models import Membership
from leadtracker.leads.fields import imports as custom_imports
from leadtracker.leads.models import LeadStatus, StatusKind
from leadtracker.leads.selectors import assignable_members
from leadtracker.lib.errors import ActionError

# What a status means, whatever a CRM calls it; each meaning finds a status of the
# organisation by these names (first match wins), else by kind for won/lost, else the first
# open status.
MEANING_NAMES = {
    "new": ["new", "fresh", "open", "not contacted"],
    "contacted": ["contacted", "attempted", "follow up", "in progress", "working"],
    "interested": ["interested", "qualified", "hot", "warm", "prospect"],
    "meeting": ["meeting site visit", "site visit", "meeting", "demo"],
    "negotiation": ["negotiation", "proposal", "quotation"],
    "won": ["won", "converted", "closed won"],
    "lost": ["lost", "closed lost", "junk"],
}
MEANING_KIND = {"won": StatusKind.WON, "lost": StatusKind.LOST}

# Whose words they are, for the warning ("Zoho's word"), said in the reader's language.
ZOHO, ZOHO_HUBSPOT, HUBSPOT = (
    gettext_noop("Zoho's"),
    gettext_noop("Zoho's and HubSpot's"),
    gettext_noop("HubSpot's"),
)
SALESFORCE, COMMON = gettext_noop("Salesforce's"), gettext_noop("a common")

# Other CRMs' words (compared after normalise()), with whose words they are, for the warning.
OTHER_CRM_WORDS = {
    # Zoho CRM's lead statuses
    "not contacted": ("new", "Zoho's"),
    "attempted to contact": ("contacted", "Zoho's and HubSpot's"),
    "contact in future": ("contacted", "Zoho's"),
    "contacted": ("contacted", "Zoho's"),
    "junk lead": ("lost", "Zoho's"),
    "lost lead": ("lost", "Zoho's"),
    "not qualified": ("lost", "Zoho's"),
    "pre qualified": ("interested", "Zoho's"),
    # HubSpot's lead statuses (internal values and labels; its Lifecycle Stage is not one)
    "new": ("new", "HubSpot's"),
    "open": ("new", "HubSpot's"),
    "in progress": ("contacted", "HubSpot's"),
    "open deal": ("negotiation", "HubSpot's"),
    "unqualified": ("lost", "HubSpot's"),
    "connected": ("contacted", "HubSpot's"),
    "bad timing": ("contacted", "HubSpot's"),
    # Salesforce's lead statuses
    "open not contacted": ("new", "Salesforce's"),
    "working contacted": ("contacted", "Salesforce's"),
    "closed converted": ("won", "Salesforce's"),
    "closed not converted": ("lost", "Salesforce's"),
    # Words of habit in Indian sales sheets
    "hot": ("interested", "a common"),
    "warm": ("interested", "a common"),
    "cold": ("contacted", "a common"),
    "interested": ("interested", "a common"),
    "qualified": ("interested", "a common"),
    "follow up": ("contacted", "a common"),
    "call back": ("contacted", "a common"),
    "callback": ("contacted", "a common"),
    "ringing": ("contacted", "a common"),
    "rnr": ("contacted", "a common"),
    "not reachable": ("contacted", "a common"),
    "switched off": ("contacted", "a common"),
    "no answer": ("contacted", "a common"),
    "site visit": ("meeting", "a common"),
    "site visit done": ("meeting", "a common"),
    "site visit scheduled": ("meeting", "a common"),
    "meeting scheduled": ("meeting", "a common"),
    "meeting done": ("meeting", "a common"),
    "demo": ("meeting", "a common"),
    "negotiation": ("negotiation", "a common"),
    "proposal sent": ("negotiation", "a common"),
    "won": ("won", "a common"),
    "closed won": ("won", "a common"),
    "converted": ("won", "a common"),
    "booked": ("won", "a common"),
    "booking done": ("won", "a common"),
    "deal done": ("won", "a common"),
    "sale done": ("won", "a common"),
    "lost": ("lost", "a common"),
    "closed lost": ("lost", "a common"),
    "not interested": ("lost", "a common"),
    "dead": ("lost", "a common"),
    "junk": ("lost", "a common"),
    "spam": ("lost", "a common"),
    "invalid": ("lost", "a common"),
    "wrong number": ("lost", "a common"),
}

RULES, NOBODY = "rules", "none"
UNKNOWN_OWNER = (RULES, NOBODY)


def normalise(value: str) -> str:
    """ "Junk  Lead", "JUNK_LEAD" and "junk-lead" are one value; so are "Ravi Kumar" and " ravi   kumar"."""
    text = unicodedata.normalize("NFKC", str(value or "")).casefold()
    text = re.sub(r"[\s_\-–—/.,:;()]+", " ", text)
    return text.strip()


@dataclass(frozen=True)
class Resolved:
    """What one distinct value becomes. `target` is a status or a user id (None: unowned or
    by the rules); `how` says why, for the preview; `warning` is set when the value was not
    taken as it stood."""

    target: object
    how: str
    warning: str = ""
    # The person chose a status for a word that is not its name: the word is noted on the lead.
    noted: bool = False


class Resolver:
    """Resolves each distinct value once: a sheet repeats a handful of words a thousand times."""

    def __init__(self, chosen: dict | None):
        # The person's choices, by normalised value.
        self.chosen = {normalise(k): v for k, v in (chosen or {}).items()}
        self.cache: dict[str, Resolved] = {}  # by normalised value
        self.seen: dict[str, Resolved] = {}  # by the value as written

    def resolve(self, value: str) -> Resolved:
        resolved = self.seen.get(value)
        if resolved is None:
            key = normalise(value)
            if key not in self.cache:
                self.cache[key] = self._resolve(value, key)
            resolved = self.seen[value] = self.cache[key]
        return resolved

    def _resolve(self, value: str, key: str) -> Resolved:
        raise NotImplementedError


class StatusResolver(Resolver):
    def __init__(self, org, chosen: dict | None = None):
        super().__init__(chosen)
        self.statuses = list(
            LeadStatus.objects.filter(organisation=org, is_active=True).order_by("position", "id")
        )
        every = list(LeadStatus.objects.filter(organisation=org))
        self.by_name = {normalise(s.name): s for s in every}
        self.by_id = {s.pk: s for s in every}
        opens = [s for s in self.statuses if s.kind == StatusKind.OPEN]
        self.first_open = opens[0] if opens else (self.statuses[0] if self.statuses else None)

    def for_meaning(self, meaning: str) -> LeadStatus | None:
        for name in MEANING_NAMES[meaning]:
            status = self.by_name.get(name)
            if status is not None and status.is_active:
                return status
        kind = MEANING_KIND.get(meaning)
        if kind:
            return next((s for s in self.statuses if s.kind == kind), None)
        return None

    def _resolve(self, value: str, key: str) -> Resolved:
        if key in self.chosen and self.chosen[key] in self.by_id:
            status = self.by_id[self.chosen[key]]
            return Resolved(status, _("your choice"), noted=key != normalise(status.name))
        exact = self.by_name.get(key)
        if exact is not None:
            return Resolved(exact, _("same name"))
        word = OTHER_CRM_WORDS.get(key)
        if word is not None:
            meaning, whose = word
            status = self.for_meaning(meaning) or self.first_open
            how = _("%(whose)s word") % {"whose": _(whose)}
            return Resolved(
                status,
                how,
                _("not a status here; imported as %(status)s (%(how)s)") % {"status": status, "how": how},
            )
        return Resolved(
            self.first_open,
            _("not understood"),
            _("not a status here; imported as %(status)s (the first open status)")
            % {"status": self.first_open},
        )


class OwnerResolver(Resolver):
    """Owners by the person's choice, else a member's e-mail or full name (case- and
    space-insensitive) among the members the importer may give leads to, else the
    `unknown` rule: the assignment rules, or nobody."""

    def __init__(self, members, chosen: dict | None = None, unknown: str = RULES, others=()):
        """``others``: active members the importer may not give leads to (a manager's import
        naming someone outside their team), named so in the warning."""
        super().__init__(chosen)
        self.others = {normalise(u.full_name) for u in others} | {u.email.lower() for u in others}
        self.unknown = unknown if unknown in UNKNOWN_OWNER else RULES
        self.by_email, self.by_name, twice = {}, {}, set()
        self.names = {}
        for m in members:
            user = m.user if isinstance(m, Membership) else m
            self.by_email[user.email.lower()] = user.pk
            self.names[user.pk] = str(user)
            key = normalise(user.full_name)
            if key in self.by_name:
                twice.add(key)
            self.by_name[key] = user.pk
        self.ambiguous = twice
        for key in twice:
            del self.by_name[key]

    def _resolve(self, value: str, key: str) -> Resolved:
        choice = self.chosen.get(key)
        if choice == NOBODY:
            return Resolved(NOBODY, _("your choice: unowned"))
        if choice == RULES:
            return Resolved(None, _("your choice: by the assignment rules"))
        if isinstance(choice, int) and choice in self.names:
            return Resolved(choice, _("your choice"))
        email = value.strip().lower()
        if email in self.by_email:
            return Resolved(self.by_email[email], _("e-mail of a member"))
        if key in self.by_name:
            return Resolved(self.by_name[key], _("name of a member"))
        if key in self.ambiguous:
            why = _("two members have this name")
        elif key in self.others or email in self.others:
            why = _("a member outside your team")
        else:
            why = _("not an active member")
        if self.unknown == NOBODY:
            return Resolved(NOBODY, why, _("%(why)s; left unowned") % {"why": why})
        return Resolved(
            None, why, _("%(why)s; assigned by the rules (unowned if none applies)") % {"why": why}
        )


# --- header mapping ---------------------------------------------------------------------

FIELDS = {
    "name": gettext_lazy("Name"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "company": gettext_lazy("Company"),
    "phone": gettext_lazy("Phone (every such column is one of the lead's numbers)"),
    "email": gettext_lazy("E-mail"),
    "city": gettext_lazy("City"),
    "address": pgettext_lazy("a lead", "Address"),
    "source": gettext_lazy("Source"),
    "status": gettext_lazy("Status"),
    "owner": gettext_lazy("Owner (e-mail)"),
    "value": gettext_lazy("Value"),
    "tags": gettext_lazy("Tags (comma-separated)"),
    "notes": gettext_lazy("Notes"),
    "created_at": gettext_lazy("Created at"),
    "do_not_call": gettext_lazy("Do not call"),
    "marketing_consent": gettext_lazy("Marketing consent"),
    "lost_reason": gettext_lazy("Lost reason"),
}

# Header spellings seen in exports of Zoho CRM, HubSpot, Salesforce, Facebook Lead Ads,
# IndiaMART, JustDial and hand-made sheets; compared after normalise_header().
SYNONYMS = {
    "name": [
        "name",
        "full name",
        "fullname",
        "lead name",
        "customer name",
        "customer",
        "client name",
        "client",
        "contact name",
        "contact person",
        "party name",
        "sender name",
        "buyer name",
        "person name",
        "enquirer name",
        "your name",
        "naam",
    ],
    "first_name": ["first name", "firstname", "given name", "fname"],
    "last_name": ["last name", "lastname", "surname", "family name", "lname"],
    "company": [
        "company",
        "company name",
        "organisation",
        "organization",
        "account name",
        "account",
        "business name",
        "firm name",
        "sender company",
        "firm",
    ],
    "phone": [
        "phone",
        "phone number",
        "phone no",
        "phone num",
        "mobile",
        "mobile no",
        "mobile number",
        "mobile phone",
        "mobile phone number",
        "cell",
        "cell phone",
        "contact no",
        "contact number",
        "contact num",
        "whatsapp",
        "whatsapp no",
        "whatsapp number",
        "telephone",
        "tel",
        "sender mobile",
        "sender mobile alt",  # IndiaMART's second number
        "sender phone alt",
        "user phone",  # Google Ads lead form downloads
        "phone number 1",
        "phone number 2",
        "sender phone",
        "alternate phone",
        "alternate mobile",
        "alt phone",
        "other phone",
        "home phone",
        "work phone",
        "business phone",
        "landline",
        "mob",
        "mob no",
        "primary phone",
        "secondary phone",
        "phone 1",
        "phone 2",
        "mobile 1",
        "mobile 2",
    ],
    "email": [
        "email",
        "e mail",
        "email address",
        "e mail address",
        "email id",
        "mail id",
        "mail",
        "sender email",
        "work email",
        "primary email",
    ],
    "city": ["city", "town", "sender city", "location", "area", "mailing city", "city town"],
    "address": [
        "address",
        "street",
        "street address",
        "mailing street",
        "full address",
        "sender address",
        "address line 1",
        "locality",
    ],
    "source": ["source", "lead source", "original source", "channel", "medium", "platform"],
    # HubSpot's Lifecycle Stage (subscriber, lead, customer…) is not a lead status: it stays in extra.
    "status": ["status", "lead status", "stage", "pipeline stage"],
    "owner": [
        "owner",
        "lead owner",
        "owner email",
        "assigned to",
        "assigned",
        "contact owner",
        "sales rep",
        "agent",
        "salesperson",
    ],
    "value": ["value", "amount", "deal value", "budget", "expected revenue", "annual revenue", "price"],
    "tags": ["tags", "tag", "labels", "label"],
    "notes": [
        "notes",
        "note",
        "remarks",
        "remark",
        "comments",
        "comment",
        "description",
        "message",
        "query message",
        "requirement",
        "enquiry",
        "inquiry",
        "query",
    ],
    "created_at": [
        "created time",
        "created at",
        "created",
        "created date",
        "create date",
        "date created",
        "lead date",
        "enquiry date",
        "query time",
        "date",
    ],
    "do_not_call": ["do not call", "dnc", "dnd", "do not disturb"],
    "marketing_consent": ["marketing consent", "email opt in", "opt in", "consent", "subscribed"],
    "lost_reason": ["lost reason", "reason lost", "unqualified reason"],
}
_LOOKUP = {syn: field for field, syns in SYNONYMS.items() for syn in syns}


def normalise_header(header: str) -> str:
    text = unicodedata.normalize("NFKC", header or "").lower()
    text = text.replace("_", " ").replace("-", " ").replace(".", " ").replace("/", " ")
    text = re.sub(r"[^0-9a-z ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text


def guess_mapping(headers: list[str], custom: dict[str, str] | None = None) -> dict[str, str]:
    """{column index (str): field}. Several columns may map to "phone"; any other field
    is taken by its first column only. ``custom``: {normalised header: "fields.<key>"}, the
    organisation's custom fields (leads/fields/imports.py)."""
    mapping, taken = {}, set()
    for i, header in enumerate(headers):
        key = normalise_header(header)
        # The organisation's own field first: its "Budget" is not the built-in value's synonym.
        field = (custom or {}).get(key) or _LOOKUP.get(key)
        if field is None:
            # "Phone (Work)", "Mobile No.", "Contact No 2": a phone word at the start.
            if re.match(r"^(phone|mobile|mob|contact no|contact number|whatsapp|cell|tel)\b", key):
                field = "phone"
            elif re.match(r"^(e ?mail)\b", key):
                field = "email"
        if field is None or (field in taken and field != "phone"):
            continue
        mapping[str(i)] = field
        taken.add(field)
    return mapping


# --- the person's choices ------------------------------------------------------------


def source_key(name: str) -> str:
    return "".join(ch for ch in normalise(name) if ch.isalnum())


# Platforms that ad exports write as a code (Facebook Lead Ads' "platform" column: fb, ig):
# the source a manager reads in the lead list, its filter and the dashboard is the name.
SOURCE_CODES = {"fb": "Facebook", "ig": "Instagram", "msg": "Messenger", "wa": "WhatsApp"}


def source_said(name: str) -> str:
    """ "fb" -> "Facebook"; any other source as the sheet writes it."""
    return SOURCE_CODES.get(normalise(name), name)


def owner_candidates(org, by: Membership | None):
    """Whom rows may name as owner: the members the importer could give a lead to by hand
    (a manager: their team); the command line (by=None): every active member."""
    if by is not None:
        return assignable_members(by)
    return Membership.objects.filter(organisation=org, is_active=True).select_related("user")


def owner_resolver(org, by: Membership | None, chosen: dict) -> OwnerResolver:
    candidates = list(owner_candidates(org, by))
    mine = {m.user_id for m in candidates}
    others = [
        m.user
        for m in Membership.objects.filter(organisation=org, is_active=True).select_related("user")
        if m.user_id not in mine
    ]
    return OwnerResolver(candidates, chosen.get("owner"), chosen.get("unknown_owner", RULES), others=others)


def clean_value_mapping(org, raw: dict | None, *, by: Membership | None) -> dict:
    """The person's choices for the status and owner columns' values, checked and stored by
    id: {"status": {value: status id}, "owner": {value: user id | "rules" | "none"},
    "unknown_owner": "rules" | "none"}. Statuses may be named by id or name, owners by user
    id or e-mail. A choice that names nothing here is refused, naming the value."""
    raw = raw or {}
    extra = sorted(set(raw) - {"status", "owner", "unknown_owner", "fields"})
    if extra:
        raise ActionError(
            _("unknown key %r (status, owner, unknown_owner, fields)") % extra[0], field="value_mapping"
        )
    statuses = list(LeadStatus.objects.filter(organisation=org, is_active=True))
    by_name = {normalise(st.name): st.pk for st in statuses}
    ids = {st.pk for st in statuses}
    out = {"status": {}, "owner": {}, "unknown_owner": raw.get("unknown_owner") or RULES}
    if out["unknown_owner"] not in (RULES, NOBODY):
        raise ActionError(_("must be rules or none"), field="value_mapping.unknown_owner")
    for value, target in (raw.get("status") or {}).items():
        key = normalise(value)
        if not key or target in (None, ""):
            continue
        status_id = (
            target if isinstance(target, int) and target in ids else by_name.get(normalise(str(target)))
        )
        if status_id is None:
            raise ActionError(
                _("no status %r in this organisation") % target, field=f"value_mapping.status.{value}"
            )
        out["status"][key] = status_id
    members = {m.user_id: m.user for m in owner_candidates(org, by)}
    emails = {u.email.lower(): pk for pk, u in members.items()}
    for value, target in (raw.get("owner") or {}).items():
        key = normalise(value)
        if not key or target in (None, ""):
            continue
        if target in (RULES, NOBODY):
            out["owner"][key] = target
            continue
        user_id = (
            target
            if isinstance(target, int) and target in members
            else emails.get(str(target).strip().lower())
        )
        if user_id is None:
            raise ActionError(
                _("%r is not an active member you can give leads to") % target,
                field=f"value_mapping.owner.{value}",
            )
        out["owner"][key] = user_id
    if raw.get("fields"):
        out["fields"] = custom_imports.clean_choice_mapping(org.pk, raw["fields"], normalise)
    return out
