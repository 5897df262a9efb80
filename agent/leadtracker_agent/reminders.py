"""Follow-up reminders for people without Web Push: on shift, watch reads the person's agenda
(`GET /api/v1/agenda`, which a paired phone's token may read) every few minutes and shows one
notification for each follow-up whose reminder time has come — "Follow-up: call Asha Sharma ·
4:10 pm" — tapping it opens the lead's page. Each is shown once: the state keeps which were."""

from __future__ import annotations

import datetime as dt
import shlex
import time

from leadtracker_agent.client import Client
from leadtracker_agent.prompt import notify
from leadtracker_agent.store import Store
from leadtracker_agent.words import t

# Seconds between reads of the agenda on shift (a reminder is at most this late).
EVERY_S = 180
# Follow-up ids shown (with the time they were due: moved to another time, it reminds again).
SHOWN = "reminded_follow_ups"
PARTS = ("overdue", "today", "upcoming")
VERBS = {"call": "call", "meeting": "meet", "visit": "visit", "whatsapp": "WhatsApp"}


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def due(agenda: dict, now: float) -> list[dict]:
    """The agenda's follow-ups whose reminder time (due less its minutes before) has come."""
    items = [item for part in PARTS for item in (agenda or {}).get(part) or []]
    return [
        item
        for item in items
        if _moment(item["due_at"]).timestamp() - 60 * int(item.get("remind_minutes_before") or 0) <= now
    ]


def _mark(item: dict) -> str:
    return f"{item['id']}@{item['due_at']}"


def when_text(moment: dt.datetime, tz, now: float) -> str:
    local = moment.astimezone(tz)
    clock = local.strftime("%I:%M %p").lstrip("0").lower()
    today = dt.datetime.fromtimestamp(now, tz).date()
    if local.date() == today:
        return clock
    return f"{local.day} {local.strftime('%b')}, {clock}"


def notification_args(item: dict, *, server: str, tz, now: float) -> list[str]:
    page = f"{server.rstrip('/')}/leads/{int(item['lead_id'])}/"
    verb = VERBS.get(item.get("kind"), "call")
    when = when_text(_moment(item["due_at"]), tz, now)
    return [
        "--id",
        f"leadtracker-follow-up-{int(item['id'])}",
        "--title",
        t(
            "Follow-up: {verb} {who} · {when}",
            verb=t(verb),
            who=item.get("lead_name") or t("a lead"),
            when=when,
        ),
        "--content",
        item.get("note") or t("Tap to open the lead"),
        "--priority",
        "high",
        "--action",
        shlex.join(["termux-open-url", page]),
    ]


def remind(client: Client, store: Store, *, server: str, tz, now: float | None = None, progress=print) -> int:
    """Read the agenda, show the follow-ups that are due and not shown before; returns how many
    were shown. One that could not be shown is tried again next time."""
    now = time.time() if now is None else now
    _, agenda = client.call("GET", "/agenda", retry=False)
    items = due(agenda, now)
    shown_before = set(store.get(SHOWN, []))
    shown = 0
    for item in items:
        if _mark(item) in shown_before:
            continue
        problem = notify(notification_args(item, server=server, tz=tz, now=now))
        if problem:
            progress(f"remind: {problem}")
            continue
        shown += 1
        shown_before.add(_mark(item))
        with store.tx():
            store.put(SHOWN, sorted(shown_before))
    # Only the follow-ups still open are remembered: done or cancelled ones are forgotten.
    still_open = {_mark(item) for part in PARTS for item in (agenda or {}).get(part) or []}
    with store.tx():
        store.put(SHOWN, sorted(shown_before & still_open))
    return shown
