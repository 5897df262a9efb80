"""The audit log: who did what — the actor of an action and the one function that writes audit
events — and reading it back (owners and admins): the filters, the time as the organisation reads
it, and the CSV export, streamed at any size."""

import datetime as dt
import functools
import json
from dataclasses import dataclass, field

from django import forms
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.sql import InsertQuery
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.accounts.audit_words import action_said, object_said
from leadtracker.accounts.models import ActorKind, AuditEvent, Membership
from leadtracker.lib.http import client_ip, user_agent
from leadtracker.lib.phones import InvalidPhone, normalise, to_ascii_digits
from leadtracker.lib.timeutil import DayField
from leadtracker.lib.widgets import PhoneInput


@dataclass
class Actor:
    kind: str = ActorKind.SYSTEM
    user: object = None
    token: object = None
    ip: str | None = None
    user_agent: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def system(cls) -> "Actor":
        return cls(kind=ActorKind.SYSTEM)

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls(kind=ActorKind.USER, user=user)

    @classmethod
    def from_request(cls, request) -> "Actor":
        token = getattr(request, "api_token", None)
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        kind = ActorKind.SYSTEM
        if token is not None and token.kind == "device":
            kind = ActorKind.DEVICE
        elif user is not None:
            kind = ActorKind.USER
        return cls(kind=kind, user=user, token=token, ip=client_ip(request), user_agent=user_agent(request))


def record(
    action: str,
    *,
    organisation,
    actor: Actor,
    obj=None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write one audit event. ``changes`` must hold no raw personal data (no names,
    numbers, addresses): field names, roles, ids and flags only."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
    event = _event(action, organisation, actor, changes, object_type, object_id)
    event.save(force_insert=True)
    return event


def unsaved(action: str, *, organisation, actor: Actor, obj, changes: dict | None = None) -> AuditEvent:
    """The event record() writes about ``obj``, not saved yet: for an action that writes it in
    one statement with its other rows (leads/create_rows.py)."""
    return _event(action, organisation, actor, changes, obj._meta.model_name, str(obj.pk))


def _event(action, organisation, actor: Actor, changes, object_type, object_id) -> AuditEvent:
    if actor.extra.get("rule_id"):
        # An automation rule acting: every event it causes names the rule (automation/engine.py).
        changes = {**(changes or {}), "rule": actor.extra["rule_id"]}
    return AuditEvent(
        organisation=organisation,
        actor_kind=actor.kind,
        actor_user=actor.user,
        actor_token=actor.token,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=actor.ip,
        user_agent=actor.user_agent,
        changes=changes or {},
    )


def record_access(request, action: str, *, object_type: str, object_id="", changes: dict | None = None):
    """Someone read personal data: one INSERT and nothing else — no read before it and no
    de-duplication of repeated opens, which would need a read (or a cache row) costing as
    much as the write it saves, and would make "who looked, when" inexact."""
    return record(
        action,
        organisation=request.org,
        actor=Actor.from_request(request),
        object_type=object_type,
        object_id=str(object_id),
        changes=changes,
    )


def access_sent(request, action: str, *, object_type: str, object_id="", changes: dict | None = None):
    """record_access for a request that answers after more work (building the JSON, rendering
    the page): the INSERT is sent and the request goes on while PostgreSQL commits it, and the
    function returned waits for its answer — call it before answering, so the row is on disk
    before the reader has the data (it is a promise: the commit still waits for the WAL flush,
    docs/decisions.md). Its own transaction as before: the row is sent like this only outside
    any transaction, and written at once otherwise (and on SQLite, whose commit is the write).

    Why: the commit's flush is 1-2 ms on a quiet disk and 5-20 ms on a busy one, and the
    page or JSON built meanwhile takes as long; the database also answers anything else the
    request asks only after the commit (lib/postgresql: a statement waits for the one in
    flight), so the order of statements stays the order they were sent. Not
    `synchronous_commit = off` for these rows, which would save the same wait (insert and
    commit 7.4 -> 0.7 ms p50, load 14): the reader would have the data before its record is
    on disk, and a crash of PostgreSQL could drop the last ~0.6 s of them (3 x
    wal_writer_delay) — records of someone reading a person's data, which was promised."""
    connection = connections[DEFAULT_DB_ALIAS]
    send = getattr(connection, "send_unawaited", None)
    event = _event(action, request.org, Actor.from_request(request), changes, object_type, str(object_id))
    fields, sql = _insert_sql(connection.vendor)
    # The values as the ORM's INSERT prepares them (SQLInsertCompiler: pre_save, get_db_prep_save).
    params = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    with connection.cursor() as cursor:
        if send is not None and send(cursor, sql, params):
            return connection.settle
        cursor.execute(sql, params)  # the ORM's INSERT, without compiling it again
    return _settled


@functools.cache
def _insert_sql(vendor: str) -> tuple[list, str]:
    """The fields and the INSERT of one access event, compiled by the ORM once per process: the
    one lead and the lead page send it on every request, and compiling it cost about a fifth of
    a one-lead request's CPU on SQLite (issue 21). No model signal is sent for these rows (none
    is wanted for reads; PostgreSQL's sent INSERT never sent one either)."""
    connection = connections[DEFAULT_DB_ALIAS]
    query = InsertQuery(AuditEvent)
    fields = [f for f in AuditEvent._meta.local_concrete_fields if not f.primary_key]
    query.insert_values(fields, [AuditEvent(actor_kind="", action="")])
    ((sql, _params),) = query.get_compiler(connection=connection).as_sql()
    return fields, sql


def _settled() -> None:
    pass


def record_export(sender, *, request, audit, **kwargs) -> AuditEvent:
    """A download written by lib/spreadsheet.py (connected to its ``exported`` signal in
    AccountsConfig.ready): the one event of that export."""
    return record_access(
        request,
        audit.action,
        object_type=audit.object_type,
        object_id=audit.object_id,
        changes=audit.changes,
    )


def number_fingerprint(organisation_id: int, text: str, region: str = "IN") -> str:
    """A searched number as it may be kept in the audit log: a keyed hash, never the number.

    Any way of writing one number gives one fingerprint (E.164 when it is a valid number, else
    its digits), so an admin asking "who searched for this person?" types the number and the
    log is filtered by its fingerprint. Keyed per organisation with the server's secret: the log
    alone, or a copy of it, cannot be matched against a list of numbers."""
    try:
        value = normalise(text, region)
    except InvalidPhone:
        value = "".join(ch for ch in to_ascii_digits(text) if ch.isdigit())
    salt = f"leadtracker.audit.number-search.{organisation_id}"
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:20]


# --- reading the log back ------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "at",
    "at_local",
    "actor_kind",
    "actor_user_id",
    "actor",
    "actor_token_id",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "user_agent",
    "changes",
]


class AuditLogFilterForm(forms.Form):
    action = forms.CharField(
        required=False,
        max_length=64,
        label=pgettext_lazy("an audit event", "Action"),
        help_text=_("or its start: lead."),
    )
    object_type = forms.CharField(required=False, max_length=64, label=_("Object type"))
    object_id = forms.CharField(required=False, max_length=64, label=_("Object id"))
    actor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Who"))
    number = forms.CharField(
        required=False,
        max_length=32,
        label=_("Searched number"),
        help_text=_("who searched for this number"),
        widget=PhoneInput(),
    )
    since = DayField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=pgettext_lazy("a date range", "From"),
    )
    until = DayField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("To"))

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        # Former members too: their events stay in the log.
        people = (
            Membership.objects.filter(organisation_id=organisation_id)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        self.fields["actor"].choices = [("", _("anyone"))] + [(m.user_id, str(m.user)) for m in people]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("must be on or after the From date"))
        return data

    def selector_filters(self, tz) -> dict:
        """The valid filters as keyword arguments of selectors.audit_events_for; dates are
        whole days in the organisation's time zone."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "action": data["action"].strip(),
            "object_type": data["object_type"].strip(),
            "object_id": data["object_id"].strip(),
            "actor_user_id": data["actor"],
            "number": data["number"].strip(),
            "since": dt.datetime.combine(data["since"], dt.time.min, tz) if data["since"] else None,
            "until": dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time.min, tz)
            if data["until"]
            else None,
        }


def is_indian(org) -> bool:
    return org.phone_region == "IN"


def local_time(at: dt.datetime, org) -> str:
    """In the organisation's zone: 25-11-2026 14:05:09 for an Indian organisation (the day
    first, as Indian readers write dates; a 24-hour clock, as railway and official records
    keep time, so no am/pm is misread in a log), ISO 8601 order elsewhere."""
    local = at.astimezone(org.tzinfo)
    return local.strftime("%d-%m-%Y %H:%M:%S" if is_indian(org) else "%Y-%m-%d %H:%M:%S")


def with_local_times(events, org) -> list:
    events = list(events)
    for e in events:
        e.at_local = local_time(e.at, org)
        e.at_zone = e.at.astimezone(org.tzinfo).strftime("%Z")  # IST, EST: which clock it is
        e.action_said = action_said(e.action)  # "Signed in" beside user.login
        e.object_said = object_said(e.object_type)  # "Import" for importjob
    return events


def filters_for_record(filters: dict) -> dict:
    """The filters of an export as its own audit event may keep them: a searched number is
    personal, so only whether one was given."""
    kept = {k: v for k, v in filters.items() if v not in (None, "") and k != "number"}
    if filters.get("number"):
        kept["number"] = True
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in kept.items()}


def csv_rows(qs, org):
    """The events newest first, a chunk of the query at a time (lib/spreadsheet.py streams the
    file in 64 KB pieces, so memory stays flat however long the log, and makes every cell
    formula-safe: names, user agents, ids and changes can all be typed by someone)."""
    for e in qs.order_by("-pk").iterator(chunk_size=2000):
        yield [
            e.pk,
            e.at.astimezone(org.tzinfo).isoformat(timespec="seconds"),
            local_time(e.at, org),
            e.actor_kind,
            e.actor_user_id or "",
            str(e.actor_user) if e.actor_user_id else "",
            e.actor_token_id or "",
            e.action,
            e.object_type,
            e.object_id,
            e.ip_address or "",
            e.user_agent,
            json.dumps(e.changes, ensure_ascii=False, sort_keys=True, default=str),
        ]
