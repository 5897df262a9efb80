"""The worker's pull from IndiaMART: when it may ask, what window it asks for, and where the
connector's place is kept (``connector.cursor``), so that nothing is missed or doubled across
restarts, failures, 429s and overlapping windows.

The cursor holds, as ISO times:
- ``until``: the end of the last window whose enquiries are all stored. It moves only after
  they are, and never back; a worker that dies mid-window leaves it where it was, and the next
  pull reads the window again (the payload log keeps one payload per UNIQUE_QUERY_ID).
- ``next_pull_at``: not before then. Set before the call is made, in the same row lock that
  checks it, so two workers never both call and a restart does not call early.
- ``blocked_until``: after a 429, IndiaMART's 15 minutes (and a minute more).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from leadtracker.integrations import health
from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.crypto import SecretsUnreadable
from leadtracker.integrations.indiamart import client
from leadtracker.integrations.indiamart.window import BLOCKED_FOR, POLL_EVERY, next_window
from leadtracker.integrations.models import Connector
from leadtracker.integrations.webhook.bodies import unreadable_body
from leadtracker.integrations.webhook.mapping import body_hash
from leadtracker.lib import formats
from leadtracker.lib.stored_text import english, recipe_of, recording, stored

# Each error is kept as what to say too (lib/stored_text.py): the health panel reads it in its
# reader's language; last_error keeps the English, which _clear_pull_error recognises.
REFUSED_KEY = gettext_noop(
    "IndiaMART refused the key. Generate a new CRM key in IndiaMART's Lead Manager "
    "(seller.indiamart.com/leadmanager/crmapi) and paste it in this connector's settings."
)
WAIT = gettext_noop(
    "IndiaMART asked us to wait: the key was used more than once in 5 minutes (is it also set in "
    "another CRM?). Pulling again after %(again)s; no lead is lost."
)
UNREADABLE = gettext_noop("IndiaMART could not be read (%(said)s); trying again in 5 minutes.")
# Errors this module writes start so; a good pull clears them (and leaves others' alone).
PULL_ERROR = "IndiaMART "


def _when(value) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _update(connector: Connector, change) -> dict:
    """Apply ``change(cursor) -> cursor | None`` under the row's lock; None leaves it as it
    was. Returns the cursor as it is after."""
    with transaction.atomic():
        row = Connector.objects.select_for_update().only("pk", "cursor").get(pk=connector.pk)
        new = change(dict(row.cursor or {}))
        if new is not None:
            row.cursor = new
            row.save(update_fields=["cursor"])
        connector.cursor = row.cursor
        return row.cursor


def _claim(connector: Connector, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """The window to ask for now, with the next call booked POLL_EVERY ahead; None when it
    is too soon (or IndiaMART blocked the key)."""
    claimed = []

    def change(cursor):
        for name in ("next_pull_at", "blocked_until"):
            due = _when(cursor.get(name))
            if due and now < due:
                return None
        claimed.append(next_window(_when(cursor.get("until")), now, added_at=connector.created_at))
        return {**cursor, "next_pull_at": (now + POLL_EVERY).isoformat(), "last_pull_at": now.isoformat()}

    _update(connector, change)
    return claimed[0] if claimed else None


def _advance(connector: Connector, end: dt.datetime, code: int) -> None:
    def change(cursor):
        until = _when(cursor.get("until"))
        return {**cursor, "until": max(end, until or end).isoformat(), "last_code": code}

    _update(connector, change)


def _set(connector: Connector, **values) -> None:
    _update(connector, lambda cursor: {**cursor, **values})


def store(connector: Connector, records: list) -> int:
    """Log each enquiry of a window as a payload (a repeat of one already logged is not);
    returns how many were new. Each is committed on its own: a worker that dies half-way has
    kept what it stored, and the window's next read adds the rest."""
    new = 0
    for record in records:
        if not isinstance(record, dict):
            record = unreadable_body(
                stored(gettext_noop("an enquiry in IndiaMART's list is not a JSON object"))
            )
        # An enquiry without its id (IndiaMART's bug) is still kept once, by its content: the
        # overlapping windows read it again and again.
        external_id = str(record.get("UNIQUE_QUERY_ID") or "") or f"body:{body_hash(record)}"
        _payload, created = receive_payload(connector, external_id, record)
        new += created
    return new


def _clear_pull_error(connector: Connector) -> None:
    if connector.last_error.startswith(PULL_ERROR):
        Connector.objects.filter(pk=connector.pk, last_error=connector.last_error).update(
            last_error="", last_error_said={}
        )
        connector.last_error, connector.last_error_said = "", {}


def _note(connector: Connector, said: dict) -> None:
    health.note_error(connector, english(said), said=said)


def poll(connector: Connector, now: dt.datetime | None = None) -> int:
    """Called by the worker every minute; asks IndiaMART at most every POLL_EVERY, and not
    while it blocks the key. Returns how many new payloads were stored."""
    now = now or timezone.now()
    try:
        with recording():  # the error's words keep their recipe (lib/stored_text.py)
            key = connector.secrets.get("key", "")
    except SecretsUnreadable as exc:
        _note(connector, recipe_of(exc.args[0]) or stored("%(words)s", words=str(exc)))
        return 0
    if not key:
        return 0  # push only
    window = _claim(connector, now)
    if window is None:
        return 0
    start, end = window
    answer = client.fetch(key, start, end)
    if answer.code in (200, 204):
        new = store(connector, answer.records) if answer.code == 200 else 0
        _advance(connector, end, answer.code)
        _clear_pull_error(connector)
        return new
    if answer.code == 429:
        until = timezone.now() + BLOCKED_FOR
        _set(connector, blocked_until=until.isoformat(), last_code=429)
        with timezone.override(connector.organisation.tzinfo):  # the time as the organisation reads it
            again = formats.clock(until)
        _note(connector, stored(WAIT, again=again))
    elif answer.code == 401:
        _set(connector, last_code=401)
        _note(connector, stored(REFUSED_KEY))
    else:
        _set(connector, last_code=answer.code)
        # Our own reason as what to say; IndiaMART's MESSAGE as it wrote it.
        said = answer.said or answer.message or stored(gettext_noop("no reason given"))
        _note(connector, stored(UNREADABLE, said=said))
    return 0
