"""What the exporters share: whom an export is about (``Subject``), how one model's rows are
found (``Exporter``), and values as JSON can hold them."""

import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from leadtracker.lib.timeutil import to_local

# Rows read from the database per round trip: a member with years of calls is streamed.
CHUNK = 2000
# Ids per IN (...) when looking up audit events about many objects (SQLite's variable limit).
IN_CHUNK = 500


@dataclass
class Subject:
    """Whom an export is about: one lead, or one member (a membership of the organisation)."""

    org: object
    lead: object = None
    member: object = None
    # Filled once per export: ids other exporters look up (the lead's calls, phones …).
    cache: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "lead" if self.lead is not None else "member"

    @property
    def tz(self):
        return self.org.tzinfo

    @property
    def user_id(self):
        return self.member.user_id if self.member is not None else None


@dataclass(frozen=True)
class Exporter:
    """How one model's rows about a subject are found. ``kind`` names the CSV (``calls.csv``)
    and the key in person.json; ``lead`` and ``member`` yield rows, or are None with a
    ``none_because`` saying why that model can hold nothing about such a subject."""

    kind: str
    lead: Callable[[Subject], Iterable[dict]] | None = None
    member: Callable[[Subject], Iterable[dict]] | None = None
    none_because: str = ""

    def rows(self, subject: Subject) -> Iterable[dict]:
        fn = self.lead if subject.kind == "lead" else self.member
        return fn(subject) if fn is not None else ()


# --- values -------------------------------------------------------------------------------


def value(v, tz):
    """A field's value as JSON can hold it, times in the organisation's zone with offset."""
    if isinstance(v, dt.datetime):
        # to_local: a time stored for 9999 is written in UTC rather than failing the export.
        return to_local(v, tz).isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    return v


@functools.cache
def _attnames(model, names: tuple) -> tuple:
    # Looked up once per model and field list, not once per row of a year of calls.
    return tuple(
        model._meta.get_field(n).attname if model._meta.get_field(n).is_relation else n for n in names
    )


def plain(obj, names, tz, **extra) -> dict:
    """The named fields of ``obj`` (FKs as ``<name>_id``) plus computed ones."""
    row = {attname: value(getattr(obj, attname), tz) for attname in _attnames(type(obj), tuple(names))}
    for key, v in extra.items():
        row[key] = value(v, tz)
    return row


def only(row: dict, keep) -> dict:
    """The row's columns, blank but for ``keep``: a kind's rows share one set of columns (its
    CSV has one header), while a row about someone else's record keeps only the subject's part."""
    return {k: (v if k in keep else None) for k, v in row.items()}


def person_name(user) -> str:
    # Colleagues are named by the organisation's own records (who called, who wrote the note).
    if user is None:
        return ""
    return user.full_name or user.email


def stream(qs):
    return qs.iterator(chunk_size=CHUNK)


def chunks(ids, size=IN_CHUNK):
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
