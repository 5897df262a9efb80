"""The everyday row of an import, read and cleaned in one pass.

Most sheets map only text columns, numbers, an e-mail, a source and notes. For those the
importer's general path (a LeadData per row, then clean_lead_data) spends most of its time on
objects and checks that cannot apply: no status, owner, date, amount or custom field to
resolve. Here such a row becomes its CleanLead straight from its cells, with the same rules
(a test holds the two paths equal); any row this path cannot take as it stands — a bad number
or e-mail, no contact — goes the general path, which reports it exactly as before.
"""

from leadtracker.leads.actions.leads import CleanLead, clean_email
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone
from leadtracker.lib.phones import normalise as normalise_phone

# What a column may be mapped to for its sheet to take this path.
SIMPLE = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "company",
        "phone",
        "email",
        "city",
        "address",
        "source",
        "notes",
        "lost_reason",
        "tags",
    }
)


class PlainRow:
    """What the importer reads of a Row for a row this path cleaned: its notes and its
    duplicate keys; no status of its own, given by the rules, nothing noted or warned."""

    __slots__ = ("notes", "keys")
    status = None
    by_rules = True
    warnings = ()
    kept = ()

    def __init__(self, notes: str, keys: list):
        self.notes = notes
        # Its numbers and "@e-mail", which the importer looks up and de-duplicates by: made
        # here, where PostgreSQL's read-ahead thread does it, not in the writing thread.
        self.keys = keys


class FastRows:
    def __init__(self, mapping: dict, headers: list, *, reserved, source, default_source, owner_id, region):
        self.mapping = mapping
        # Unmapped columns with a heading go to the lead's extra, as in the general path.
        self.extra_names = {
            i: h[:60] for i, h in enumerate(headers) if i not in mapping and h and h not in reserved
        }
        self.source = source
        self.default_source = default_source
        self.owner_id = owner_id
        self.region = region

    @staticmethod
    def applies(mapping: dict, custom) -> bool:
        # A custom field keyed like a lead's own field ("city") is the custom field there.
        return all(target in SIMPLE and target not in custom for target in mapping.values())

    def _read(self, cells) -> tuple:  # noqa: C901, PLR0912 — one pass over the cells, on purpose
        name = company = email = city = address = lost = first = last = notes = ""
        raws, tags, source, extra = [], [], None, {}
        mapping, extra_names = self.mapping, self.extra_names
        for index, raw in enumerate(cells):
            if raw is None:
                continue
            value = (raw if type(raw) is str else str(raw)).strip()
            if not value:
                continue
            target = mapping.get(index)
            if target is None:
                key = extra_names.get(index)
                if key is not None:
                    extra[key] = value[:500]
            elif target == "phone":
                raws.append(value[2:] if value[:2] in ("p:", "P:") else value)  # Facebook's "p:+91…"
            elif target == "name":
                name = value
            elif target == "email":
                email = value
            elif target == "city":
                city = value
            elif target == "source":
                source = self.source(value)
            elif target == "notes":
                notes = f"{notes}\n{value}".strip()
            elif target == "company":
                company = value
            elif target == "address":
                address = value
            elif target == "lost_reason":
                lost = value
            elif target == "first_name":
                first = value
            elif target == "last_name":
                last = value
            else:  # tags
                tags += [t for t in value.replace(";", ",").split(",") if t.strip()]
        if not name and (first or last):
            name = f"{first} {last}".strip()
        return name, company, email, city, address, lost, notes, raws, tags, source, extra

    def clean(self, cells) -> tuple[CleanLead, PlainRow] | None:
        """The row's CleanLead and its notes; None when the general path must take it."""
        name, company, email, city, address, lost, notes, raws, tags, source, extra = self._read(cells)
        try:
            email = clean_email(email) if email else ""
        except ActionError:
            return None
        phones, keys = [], []  # keys: the numbers seen, a row's one or two (a list is quicker)
        for raw in raws:
            raw = raw.strip()
            if not raw:
                continue
            try:
                e164 = normalise_phone(raw, self.region)
            except InvalidPhone:
                return None
            if e164 not in keys:
                keys.append(e164)
                phones.append((e164, raw[:64]))
        if not (phones or email):
            return None  # no contact (or no name either): the general path says which
        first_phone = phones[0] if phones else ("", "")
        fields = {
            "name": name[:200],
            "company": company[:200],
            "email": email,
            "phone": first_phone[0],
            "phone_raw": first_phone[1],
            "city": city[:100],
            "address": address,
            "source": source if source is not None else self.default_source,
            "status": None,
            "owner_id": self.owner_id,
            "value": None,
            "do_not_call": False,
            "marketing_consent": False,
            "lost_reason": lost[:200],
            "extra": extra,
            "custom_fields": {},
        }
        tags = sorted({t.strip()[:50] for t in tags if t and t.strip()}) if tags else []
        if email:
            keys.append(f"@{email}")
        return CleanLead(fields=fields, phones=phones, tags=tags), PlainRow(notes, keys)
