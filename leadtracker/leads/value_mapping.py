"""What the values of an imported sheet's status and owner columns become in this organisation.

A team leaving another CRM brings that CRM's words: Zoho's "Junk Lead", HubSpot's
"IN_PROGRESS", Salesforce's "Closed - Converted", or habit ("Hot", "Site Visit Done"). None of
them may cost a lead. Each distinct value is resolved once — by the person's own choice, else by
an exact status name, else by the table below, else to the organisation's first open status —
and every value that was not taken as it stood is reported as a warning with what it became.
"""

import re
import unicodedata
from dataclasses import dataclass

from leadtracker.accounts.models import Membership
from leadtracker.leads.models import LeadStatus, StatusKind

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
            return Resolved(status, "your choice", noted=key != normalise(status.name))
        exact = self.by_name.get(key)
        if exact is not None:
            return Resolved(exact, "same name")
        word = OTHER_CRM_WORDS.get(key)
        if word is not None:
            meaning, whose = word
            status = self.for_meaning(meaning) or self.first_open
            return Resolved(
                status,
                f"{whose} word",
                f"not a status here; imported as {status} ({whose} word)",
            )
        return Resolved(
            self.first_open,
            "not understood",
            f"not a status here; imported as {self.first_open} (the first open status)",
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
            return Resolved(NOBODY, "your choice: unowned")
        if choice == RULES:
            return Resolved(None, "your choice: by the assignment rules")
        if isinstance(choice, int) and choice in self.names:
            return Resolved(choice, "your choice")
        email = value.strip().lower()
        if email in self.by_email:
            return Resolved(self.by_email[email], "e-mail of a member")
        if key in self.by_name:
            return Resolved(self.by_name[key], "name of a member")
        if key in self.ambiguous:
            why = "two members have this name"
        elif key in self.others or email in self.others:
            why = "a member outside your team"
        else:
            why = "not an active member"
        if self.unknown == NOBODY:
            return Resolved(NOBODY, why, f"{why}; left unowned")
        return Resolved(None, why, f"{why}; assigned by the rules (unowned if none applies)")
