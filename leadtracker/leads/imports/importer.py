"""Importing leads from a spreadsheet, in batches with bulk statements, in constant memory.

Each row is cleaned on its own: a broken row is reported (row number, field, reason) and the
rest go on. Duplicates — of leads already stored or of earlier rows — are counted and then
skipped, used to fill in the existing lead, or created anyway, as asked.
"""

import datetime as dt
import itertools
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, User
from leadtracker.leads.actions.assignment import owners_by_rules
from leadtracker.leads.actions.leads import (
    RICHER_TEXT_FIELDS,
    CleanLead,
    LeadData,
    _fill_from,
    clean_email,
    clean_lead_data,
    default_status,
)
from leadtracker.leads.actions.permissions import _may_change
from leadtracker.leads.actions.settings import source_named
from leadtracker.leads.fields import imports as custom_imports
from leadtracker.leads.imports.ahead import LaterSource, Part, ReadAhead, met_or_later
from leadtracker.leads.imports.fastrow import FastRows
from leadtracker.leads.imports.mapping import (
    FIELDS,
    NOBODY,
    StatusResolver,
    clean_value_mapping,
    guess_mapping,
    normalise,
    owner_resolver,
    source_key,
    source_said,
)
from leadtracker.leads.imports.reader import BrokenLine, open_table
from leadtracker.leads.imports.writer import (
    Pending,
    already_stored,
    insert_details,
    insert_leads,
    unflushed_commits,
)
from leadtracker.leads.models import Lead, LeadSource, LeadStatus
from leadtracker.leads.webhooks import queue_event, subscribers
from leadtracker.lib.collection import fewer_collections
from leadtracker.lib.errors import ActionError
from leadtracker.lib.money import parse_amount
from leadtracker.lib.phones import InvalidPhone
from leadtracker.lib.phones import normalise as normalise_phone

logger = logging.getLogger(__name__)

# Rows a transaction. A commit writes every index page its batch touched, and the numbers' two
# random-keyed indexes touch nearly all of theirs whatever the batch's size: 2,500 rows a batch
# write them 2.5 times less often than 1,000 (100,000 rows, SQLite: 996 -> 667 MB written; CPU
# SQLite -10%, PostgreSQL's process -17% and its server -8%), for 13-20 MB more held and
# SQLite's one write lock held ~0.15 s a batch instead of ~0.06 (docs/performance.md).
BATCH = 2500
# Keys of lead.extra that the app itself sets; a spreadsheet column cannot write them.
RESERVED_EXTRA = {
    "possible_duplicate_of",
    "numbers_on_other_lead",
    "email_on_other_lead",
    "possible_duplicate",
    "invalid_numbers",
}
ON_DUPLICATE = ("skip", "update", "create")
# Day first, as Indian sheets write dates; then month first (Salesforce's and HubSpot's US
# exports), tried only when day first cannot be (13/25/2026).
DATE_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %I:%M %p",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%d-%b-%Y",
    "%d-%b-%Y %H:%M",
    "%d %b %Y",
    "%d %B %Y",
    "%d %b %Y %H:%M",
    "%d %b %Y %I:%M %p",
    "%b %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
)
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
TRUE_WORDS = {"1", "yes", "y", "true", "t", "x", "✓", "haan", "ha"}


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    errors: int = 0
    warnings: int = 0

    def as_dict(self) -> dict:
        # The job's summary() has these keys in this order: a job's counts resume as Counts.
        return asdict(self)


@dataclass
class Issue:
    """One reported problem of one row: an error (the row is not a lead) or a warning (the row
    is a lead, and this cell's value was not taken as it stood)."""

    kind: str  # "error" | "warning"
    row: int
    column: str
    value: str
    reason: str
    cells: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class Row:
    """One row turned into lead data, with what could not be taken as it stood."""

    data: LeadData
    notes: str = ""
    status: LeadStatus | None = None
    by_rules: bool = True
    warnings: list = field(default_factory=list)  # (column, value, reason)
    kept: list = field(default_factory=list)  # (column, raw value)
    phone_columns: list = field(default_factory=list)  # the column of each of data.phones
    email_column: int = 0
    keys: list = field(default_factory=list)  # once cleaned: its numbers and "@e-mail"

    def warn(self, column, value, reason, keep=True):
        self.warnings.append((column, value, reason))
        if keep:
            self.kept.append((column, value))


class RowError(Exception):
    def __init__(self, field_name, message):
        super().__init__(message)
        self.field = field_name
        self.message = message


class Importer:
    def __init__(
        self,
        org,
        *,
        mapping: dict[str, str],
        actor: Actor,
        on_duplicate: str = "skip",
        owner: User | None = None,
        source_name: str = "",
        issue_sink=None,
        by: Membership | None = None,
        value_mapping: dict | None = None,
    ):
        if on_duplicate not in ON_DUPLICATE:
            raise ActionError(_("must be one of %s") % ", ".join(ON_DUPLICATE), field="on_duplicate")
        # The organisation's custom fields, read once for the whole file.
        self.custom = custom_imports.targets(org.pk)
        self.field_defs = {f.key: f for f in self.custom.values()}
        unknown = sorted(set(mapping.values()) - set(FIELDS) - set(self.custom))
        if unknown:
            raise ActionError(_("unknown lead field %r") % unknown[0], field="mapping")
        self.org = org
        self.mapping = {int(k): v for k, v in mapping.items() if v}
        self.actor = actor
        self.on_duplicate = on_duplicate
        self.owner = owner
        self.default_source = source_named(org, source_name) if source_name else None
        self.counts = Counts()
        self.issue_sink = issue_sink  # callable(Issue)
        # New leads nobody was given go round the organisation's assignment rules, as any lead
        # arriving does; the command line's and the form's owner take precedence.
        self.assign = True
        self._endpoints = None
        value_mapping = value_mapping or {}
        self.statuses = StatusResolver(org, value_mapping.get("status"))
        self.choice_mapping = value_mapping.get("fields") or {}
        self.default_status = default_status(org.pk)
        self.sources = {source_key(s.name): s for s in LeadSource.objects.filter(organisation=org)}
        self.source_of: dict[str, LeadSource] = {}  # by the value as written
        # The person importing may give leads only to whom they could by hand (their team), and
        # may fill in only leads they could change; the command line (by=None) may do anything.
        self.by = by
        self.owners = owner_resolver(org, by, value_mapping)
        self.headers: list[str] = []
        self._fast: FastRows | None = None  # set by run() when the mapping is everyday columns

    # -- one row ---------------------------------------------------------------------
    def _column(self, index: int) -> str:
        return (
            self.headers[index]
            if index < len(self.headers) and self.headers[index]
            else _("column %s") % (index + 1)
        )

    def _row_to_data(self, cells: list, headers: list[str]) -> Row:
        data = LeadData(extra={}, field_defs=self.field_defs)
        row = Row(data)
        first = last = notes = ""
        for index, raw in enumerate(cells):
            value = str(raw).strip() if raw is not None else ""
            if not value:
                continue
            target = self.mapping.get(index)
            if target is None:
                if index < len(headers) and headers[index] and headers[index] not in RESERVED_EXTRA:
                    data.extra[headers[index][:60]] = value[:500]
                continue
            if target == "phone":
                data.phones.append(value[2:] if value[:2] in ("p:", "P:") else value)  # Facebook's "p:+91…"
                row.phone_columns.append(index)
            elif target == "first_name":
                first = value
            elif target == "last_name":
                last = value
            elif target == "notes":
                notes = f"{notes}\n{value}".strip()
            elif target == "tags":
                data.tags += [t for t in value.replace(";", ",").split(",") if t.strip()]
            elif target == "source":
                data.source = self._source(value)
            elif target == "status":
                resolved = self.statuses.resolve(value)
                row.status = resolved.target
                if resolved.warning:
                    row.warn(self._column(index), value, resolved.warning)
                elif resolved.noted:
                    row.kept.append((self._column(index), value))  # chosen by the person: noted only
            elif target == "owner":
                resolved = self.owners.resolve(value)
                if resolved.target == NOBODY:
                    row.by_rules = False
                elif resolved.target is not None:
                    data.owner_id = resolved.target
                if resolved.warning:
                    row.warn(self._column(index), value, resolved.warning)
            elif target in ("do_not_call", "marketing_consent"):
                setattr(data, target, value.lower() in TRUE_WORDS)
            elif target == "created_at":
                parsed = self._parse_time(value)
                if parsed is None:
                    row.warn(self._column(index), value, _("not a date this importer reads; left empty"))
                else:
                    data.created_at = parsed
            elif target == "value":
                amount = parse_amount(value)
                if amount is None:
                    row.warn(self._column(index), value, _("not an amount; value left empty"))
                else:
                    data.value = amount.value
                    if not amount.exact:
                        row.kept.append((self._column(index), value))
            elif target == "email":
                data.email = value
                row.email_column = index
            elif target in self.custom:
                field = self.custom[target]
                chosen = self.choice_mapping.get(field.key, {})
                typed, warning = custom_imports.cell_value(
                    field, value, self.org.phone_region, chosen, normalise
                )
                if warning:
                    row.warn(self._column(index), value, warning)
                elif typed is not None:
                    data.custom_fields[field.key] = typed
            else:
                setattr(data, target, value)
        if not data.name and (first or last):
            data.name = f"{first} {last}".strip()
        if data.source is None:
            data.source = self.default_source
        if self.owner is not None and data.owner_id is None and row.by_rules:
            data.owner_id = self.owner.pk
        row.notes = notes
        return row

    def _without_unusable_contacts(self, row: Row) -> bool:
        """A row with at least one good number or a good e-mail is a lead: a bad e-mail, or
        "N/A" or a short number in a second column, becomes a warning (kept on the lead), never
        a reason to lose the row. False when nothing usable is left (the row is an error).
        Only rows that cleaning refused come here, so good rows are checked once."""
        data = row.data
        good, bad = [], []
        for raw, index in zip(data.phones, row.phone_columns, strict=True):
            try:
                normalise_phone(raw, self.org.phone_region)
                good.append(raw)
            except InvalidPhone as exc:
                bad.append((raw, index, str(exc)))
        bad_email = None
        if data.email:
            try:
                clean_email(data.email)
            except ActionError as exc:
                bad_email = exc.message
        if not good and not (data.email and bad_email is None):
            return False
        if bad:
            data.extra["invalid_numbers"] = ", ".join(raw for raw, _, _ in bad)[:200]
            for raw, index, why in bad:
                row.warn(
                    self._column(index), raw, _("%s; the lead keeps its other contact") % why, keep=False
                )
        if bad_email is not None:
            row.warn(self._column(row.email_column), data.email, _("%s; left empty") % bad_email)
            data.email = ""
        data.phones = good
        row.phone_columns = []
        return True

    def _source(self, name):
        # "Web Site", "website" and "WEBSITE " are one source: the organisation's when it has
        # it, else made once, so an import from each CRM does not add its own spelling. A sheet
        # repeats a handful of spellings: each is looked at once.
        source = self.source_of.get(name)
        if source is None:
            said = source_said(name)  # "fb" -> "Facebook"
            key = source_key(said)
            if key not in self.sources:
                self.sources[key] = source_named(self.org, said)
            source = self.source_of[name] = self.sources[key]
        return source

    def _parse_time(self, value: str):
        """A date or time as sheets write it; None when it reads as none, or lies where no
        lead was created (before 1990 or more than a day ahead), which pages could not show."""
        text = value.strip().replace("Z", "+00:00")
        parsed = None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            for fmt in DATE_FORMATS:
                try:
                    parsed = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 — zone added below
                    break
                except ValueError:
                    continue
        if parsed is None:
            return None
        if timezone.is_naive(parsed):
            parsed = parsed.replace(tzinfo=self.org.tzinfo)  # the sheet's times are the organisation's
        if not (EARLIEST <= parsed <= timezone.now() + dt.timedelta(days=1)):
            return None
        return parsed

    # -- batches ---------------------------------------------------------------------
    def run(self, table, *, on_progress=None, resume: Counts | None = None) -> Counts:
        """Import the table's records in batches. Each batch's writes commit in one transaction
        together with ``on_progress(fraction, counts, last)``, which the worker uses to store the
        job's progress (and, for the last, its outcome) in that same transaction: what the job
        says it consumed is exactly what is in the database. ``resume``: the counts an earlier,
        interrupted run committed; its ``rows`` records are skipped and the counts go on."""
        max_rows = settings.IMPORT_MAX_ROWS
        self.headers = table.headers
        self._fast = None
        if FastRows.applies(self.mapping, self.custom):
            self._fast = FastRows(
                self.mapping,
                table.headers,
                reserved=RESERVED_EXTRA,
                source=met_or_later(self.source_of),
                default_source=self.default_source,
                owner_id=self.owner.pk if self.owner is not None else None,
                region=self.org.phone_region,
            )
        records = table.rows
        if resume is not None:
            self.counts = Counts(**resume.as_dict())
            # Read past what was committed: the reader is the same, so the same records come.
            records = itertools.islice(records, resume.rows, None)
        # The file is read, and its everyday rows cleaned, a batch ahead in a thread of its
        # own while this one writes, on PostgreSQL (imports/ahead.py); the row number is the one a person sees
        # in Excel or an editor (title rows and multi-line cells counted) when the reader knows
        # it, else the record's place under a one-line header.
        clean = self._fast.clean if self._fast is not None else None
        reading = ReadAhead(
            table, records, batch=BATCH, rows_before=self.counts.rows, max_rows=max_rows, clean=clean
        )
        try:
            # The cyclic collector held back (lib/collection.py): ~1 s of a 100,000-row import's CPU.
            with unflushed_commits(), fewer_collections():
                part = reading.next()
                while not part.last:
                    self._commit(self._take(part, max_rows), table.headers, on_progress, part.fraction)
                    part = reading.next()
            batch = self._take(part, max_rows)
        finally:
            reading.close()
        self._commit(batch, table.headers, on_progress, 1.0, last=True)
        return self.counts

    def _take(self, part: Part, max_rows: int) -> list:
        """A part read ahead, counted and its unreadable records reported as they come; its
        rows, to commit."""
        batch = []
        for here, cells, fast in part.items:
            self.counts.rows += 1
            if isinstance(cells, BrokenLine):
                self._error(getattr(cells, "row", None) or here, _("row"), "", cells.message, [])
                continue
            batch.append((here, cells, fast))
        if part.over is not None:
            # One line in the report, not a million: the rest of the file is named, not read.
            self._error(
                part.over,
                _("row"),
                "",
                _(
                    "the file has more than %s rows (the most one import takes): this row "
                    "and the ones after it were not imported; split the file"
                )
                % max_rows,
                [],
            )
        if part.error is not None:
            raise part.error
        return batch

    def _commit(self, batch, headers, on_progress, fraction, last=False):
        # Rows are cleaned before the transaction: on SQLite it holds the one write lock.
        cleaned = self._clean(batch, headers) if batch else []
        if not cleaned and on_progress is None:
            return
        with transaction.atomic():
            if cleaned:
                self._store(cleaned)
            if on_progress is not None:
                on_progress(fraction, self.counts, last)

    def _error(self, row_number, column, value, reason, cells):
        self.counts.errors += 1
        if self.issue_sink:
            self.issue_sink(Issue("error", row_number, column, value, reason, cells))

    def _warnings(self, row_number, warnings, cells):
        self.counts.warnings += len(warnings)
        if self.issue_sink:
            for column, value, reason in warnings:
                self.issue_sink(Issue("warning", row_number, column, value, reason, cells))

    def _refused(self, row_number, cells, exc):
        """A row that cannot become a lead, named by the column a person would look at."""
        field_name = getattr(exc, "field", "") or "row"
        if field_name == "phone" or field_name.startswith("phones."):
            index = next((i for i, f in sorted(self.mapping.items()) if f == "phone"), None)
        else:
            index = next((i for i, f in sorted(self.mapping.items()) if f == field_name), None)
        column = (
            self._column(index) if index is not None else (_("row") if field_name == "row" else field_name)
        )
        value = str(cells[index]) if index is not None and index < len(cells) else ""
        self._error(row_number, column, value, exc.message, cells)

    def _clean(self, batch, headers) -> list:
        cleaned = []
        for row_number, cells, done in batch:
            if done is not None:  # the everyday row, cleaned ahead; anything else takes the general path
                clean = done[0]
                if type(clean.fields["source"]) is LaterSource:  # a spelling not met before
                    clean.fields["source"] = self._source(clean.fields["source"].name)
                cleaned.append((row_number, cells, clean, done[1]))
                continue
            try:
                row = self._row_to_data(cells, headers)
                try:
                    clean = clean_lead_data(self.org, row.data)
                except ActionError as exc:
                    # A bad number or e-mail costs the row only when nothing usable is left.
                    if not (exc.field in ("phone", "email") or exc.field.startswith("phones.")):
                        raise
                    if not self._without_unusable_contacts(row):
                        raise
                    clean = clean_lead_data(self.org, row.data)
            except (RowError, ActionError) as exc:
                self._refused(row_number, cells, exc)
                continue
            if row.data.created_at:
                clean.fields["created_at"] = row.data.created_at
            row.keys = [p for p, _ in clean.phones]
            if clean.fields["email"]:
                row.keys.append(f"@{clean.fields['email']}")
            cleaned.append((row_number, cells, clean, row))
        return cleaned

    def _store(self, cleaned) -> None:
        # Which of this batch's numbers and e-mails are already stored: one query a batch on
        # PostgreSQL, two on SQLite. Each row's keys were made as it was cleaned (row.keys).
        phones, emails = set(), set()
        for _row_number, _cells, clean, row in cleaned:
            email = clean.fields["email"]
            if email:
                emails.add(email)
                phones.update(row.keys[:-1])  # the last key is the e-mail's
            else:
                phones.update(row.keys)
        stored = already_stored(self.org, phones, emails)
        pending: list[Pending] = []
        by_key: dict[str, Pending] = {}
        for row_number, cells, clean, row in cleaned:
            keys = row.keys
            for k in keys:
                if k in stored or k in by_key:
                    break
            else:  # the common case, no key met before: a new lead (a loop, not any(), for speed)
                notes, warnings, kept = row.notes, row.warnings, row.kept
                p = Pending(row_number, clean, notes, row.status, keys, row.by_rules, warnings, kept, cells)
                pending.append(p)
                for k in keys:
                    by_key[k] = p
                continue
            existing_id = next((stored[k] for k in keys if k in stored), None)
            earlier = next((by_key[k] for k in keys if k in by_key), None)
            self.counts.duplicates += 1
            if self.on_duplicate == "skip":
                continue
            if self.on_duplicate == "update":
                if earlier is not None:
                    self._fill_pending(earlier, clean, by_key, stored)
                else:
                    self._update_existing(existing_id, clean, row_number, cells, row)
                continue
            # "create": a new lead without the numbers/e-mail another lead already holds.
            free = CleanLead(
                fields=dict(clean.fields),
                phones=[(p, r) for p, r in clean.phones if p not in stored and p not in by_key],
                tags=clean.tags,
            )
            if free.fields["email"] and (
                f"@{free.fields['email']}" in stored or f"@{free.fields['email']}" in by_key
            ):
                free.fields["email"] = ""
            free.fields["extra"] = {**free.fields["extra"], "possible_duplicate": True}
            if existing_id is not None:
                free.fields["extra"]["possible_duplicate_of"] = existing_id
            free.fields["phone"], free.fields["phone_raw"] = free.phones[0] if free.phones else ("", "")
            p = Pending(
                row_number, free, row.notes, row.status, [], row.by_rules, row.warnings, row.kept, cells
            )
            pending.append(p)
            for key in {e for e, _region in free.phones} | (
                {f"@{free.fields['email']}"} if free.fields["email"] else set()
            ):
                by_key.setdefault(key, p)
        self._write(pending)

    def _fill_pending(self, earlier: Pending, clean, by_key, stored):
        for name in RICHER_TEXT_FIELDS + ("email",):
            if not earlier.clean.fields[name] and clean.fields[name]:
                if name == "email" and (
                    f"@{clean.fields['email']}" in by_key or f"@{clean.fields['email']}" in stored
                ):
                    continue
                earlier.clean.fields[name] = clean.fields[name]
        for p, r in clean.phones:
            if p not in by_key and p not in stored:
                earlier.clean.phones.append((p, r))
                by_key[p] = earlier

    def _update_existing(self, lead_id, clean, row_number, cells, row: Row):
        lead = Lead.objects.select_related("organisation", "status").get(pk=lead_id)
        if self.by is not None and not _may_change(self.by, lead):
            return  # someone else's lead: counted as a duplicate, left untouched
        try:
            with transaction.atomic():
                changed = _fill_from(lead, clean, actor=self.actor)
        except (ActionError, IntegrityError) as exc:
            # Filling in an existing lead failed: the row stays a duplicate, and why is a warning.
            self._warnings(
                row_number, [(_("row"), "", _("not filled in: %s") % getattr(exc, "message", exc))], cells
            )
            return
        if changed:
            self.counts.updated += 1
            self._warnings(row_number, row.warnings, cells)

    def _write(self, pending: list[Pending]):
        if not pending:
            return
        try:
            with transaction.atomic():
                self._bulk_insert(pending)
        except IntegrityError:
            # A number or e-mail was taken meanwhile (a capture, another import): one by one.
            for p in pending:
                try:
                    with transaction.atomic():
                        self._bulk_insert([p])
                except IntegrityError:
                    self.counts.duplicates += 1

    def _assign_by_rules(self, pending: list[Pending]) -> None:
        """The batch's unowned leads go round the rules as if they arrived one by one."""
        unowned = [p for p in pending if p.clean.fields["owner_id"] is None and p.by_rules]
        if not unowned:
            return
        sources = [p.clean.fields["source"].id if p.clean.fields["source"] else None for p in unowned]
        for p, pick in zip(unowned, owners_by_rules(self.org.pk, sources), strict=True):
            if pick is not None:
                p.clean.fields["owner_id"] = pick[0]

    def _bulk_insert(self, pending: list[Pending]):
        now = timezone.now()
        if self.assign:
            self._assign_by_rules(pending)
        lead_ids = insert_leads(self.org, pending, default_status=self.default_status, now=now)
        if self._endpoints is None:
            self._endpoints = subscribers(self.org.pk, "lead.created")
        queue_event(self.org.pk, lead_ids, "lead.created", {"import": True}, endpoints=self._endpoints)
        insert_details(self.org, lead_ids, pending, actor=self.actor, now=now)
        self.counts.created += len(lead_ids)
        for p in pending:
            if p.warnings:
                self._warnings(p.row_number, p.warnings, p.cells)


def import_file(
    org,
    path: str,
    *,
    actor: Actor,
    owner: User | None = None,
    source_name: str = "",
    on_duplicate: str = "skip",
    mapping: dict | None = None,
    issue_sink=None,
    value_mapping: dict | None = None,
) -> Counts:
    """Import a file straight away (the command line); returns the counts. Audited when it
    starts and when it ends, so a run that was killed leaves its start behind."""
    name = Path(path).name[:64]
    table = open_table(path)
    try:
        importer = Importer(
            org,
            mapping=mapping or guess_mapping(table.headers),
            actor=actor,
            on_duplicate=on_duplicate,
            owner=owner,
            source_name=source_name,
            issue_sink=issue_sink,
            value_mapping=clean_value_mapping(org, value_mapping, by=None),
        )
        record(
            "lead.import_started",
            organisation=org,
            actor=actor,
            object_type="file",
            object_id=name,
            changes={"on_duplicate": on_duplicate, "owner_id": owner.pk if owner else None},
        )
        counts = importer.run(table)
    finally:
        table.close()
    record(
        "lead.import",
        organisation=org,
        actor=actor,
        object_type="file",
        object_id=name,
        changes=counts.as_dict(),
    )
    return counts


def summary_json(counts: Counts) -> str:
    return json.dumps(counts.as_dict())
