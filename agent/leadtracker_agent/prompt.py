"""The prompt after a call: on shift, watch reads only the newest rows of the call log every
25 s; a new call is queued and sent at once, and the phone then shows "Call with Asha Sharma
ended · 2m 10s — how did it go?" with the buttons Interested / Not connected / Open. A button
runs `leadtracker-agent outcome CALL OUTCOME`, which saves the server's outcome sheet for the
call (outcome, the lead's status, its next follow-up)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import urllib.parse

from leadtracker_agent import readers
from leadtracker_agent.agent import Agent, Result, ShiftWindow
from leadtracker_agent.calls import Call
from leadtracker_agent.client import AuthError, Client, ClientError, HttpError, NetworkError
from leadtracker_agent.privacy import Exclusions
from leadtracker_agent.store import Store
from leadtracker_agent.words import t

# Enough for the calls of half a minute, however busy the phone.
NEWEST_ROWS = 5
# A call that ended longer ago than this is old news: synced, but not prompted for.
PROMPT_WITHIN_S = 15 * 60
PROMPTED_TYPES = ("incoming", "outgoing")
# The buttons, and the outcome each records (the organisation's outcome of that name).
INTERESTED = "Interested"
NOT_CONNECTED = "No answer"
# The next follow-up a button sets when its outcome needs one (a button has no time picker).
TOMORROW = {"quick": "tomorrow"}


def duration_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def quick_round(agent: Agent, *, now: float | None = None) -> tuple[Result | None, list[Call]]:
    """Read the newest rows; when one is new and inside a shift, queue it and send the outbox
    (no full read). Returns the round's result (None: nothing new) and the calls to prompt for."""
    now = time.time() if now is None else now
    agent.reload_config()  # the exclusions, as `exclude add` left them a moment ago
    rows = readers.termux_newest(NEWEST_ROWS, agent.tz, timeout=agent.source_timeout)
    window = ShiftWindow(agent.store.shifts())
    exclusions = Exclusions(agent.config.get("exclude", []))
    fresh = [
        row
        for row in rows
        if isinstance(row, Call)
        and row.number not in exclusions
        and row.epoch in window
        and not agent.store.known(row.device_call_id)
    ]
    if not fresh:
        return None, []
    agent.store.enqueue(fresh)
    result = agent.sync(read=False)
    due = [
        call
        for call in fresh
        if call.type in PROMPTED_TYPES
        and now - (call.epoch + call.duration_s) <= PROMPT_WITHIN_S
        and agent.store.answered(call.device_call_id)
    ]
    return result, due


def find_call(client: Client, call: Call) -> dict | None:
    """The server's call for a synced row (None: the server did not store it)."""
    query = urllib.parse.urlencode({"device_call_id": call.device_call_id})
    try:
        _, found = client.call("GET", f"/devices/me/calls?{query}", retry=False)
    except HttpError as exc:
        if exc.status == 404:
            return None
        raise
    return found


def agent_command(home, *args: str) -> str:
    return shlex.join([sys.executable, "-m", "leadtracker_agent", "--home", str(home), *args])


def notification_args(found: dict, call: Call, *, server: str, home) -> list[str]:
    who = found.get("lead_name") or call.contact_name or call.number or t("a withheld number")
    tag = f"leadtracker-call-{found['id']}"
    sheet = server.rstrip("/") + found["sheet_path"]
    dismiss = shlex.join(["termux-notification-remove", tag])
    open_sheet = f"{shlex.join(['termux-open-url', sheet])}; {dismiss}"

    def answer(outcome: str) -> str:
        return f"{agent_command(home, 'outcome', str(found['id']), outcome)}; {dismiss}"

    return [
        "--id",
        tag,
        "--title",
        t("Call with {who} ended · {duration}", who=who, duration=duration_text(call.duration_s)),
        "--content",
        t("How did it go?"),
        "--priority",
        "high",
        "--action",
        open_sheet,
        "--button1",
        t("Interested"),
        "--button1-action",
        answer(INTERESTED),
        "--button2",
        t("Not connected"),
        "--button2-action",
        answer(NOT_CONNECTED),
        "--button3",
        t("Open"),
        "--button3-action",
        open_sheet,
    ]


def notify(args: list[str], *, timeout: float = 30) -> str | None:
    """Show it with termux-notification. None when shown, else why not."""
    exe = shutil.which("termux-notification")
    if exe is None:
        return "termux-notification not found: pkg install termux-api"
    try:
        done = subprocess.run([exe, *args], capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"termux-notification did not work: {exc}"
    return None if done.returncode == 0 else f"termux-notification failed: {done.stderr.decode()[:200]}"


def prompt(agent: Agent, calls: list[Call], *, progress=print) -> int:
    """One notification per call the server stored; returns how many were shown."""
    shown = 0
    for call in calls:
        try:
            found = find_call(agent.client, call)
        except ClientError as exc:
            progress(f"prompt: could not find the call on the server: {exc}")
            continue
        if found is None or found.get("outcome_id"):
            continue
        args = notification_args(found, call, server=agent.config.get("server"), home=agent.config.home)
        problem = notify(args)
        if problem:
            progress(f"prompt: {problem}")
        else:
            shown += 1
    return shown


def outcome_of(client: Client, name_or_id: str) -> dict:
    """The organisation's outcome of that name (any case) or id, as GET /outcomes lists it."""
    _, outcomes = client.call("GET", "/outcomes")
    wanted = name_or_id.strip().casefold()
    for item in outcomes or []:
        if str(item.get("id")) == wanted or str(item.get("name", "")).casefold() == wanted:
            return item
    names = ", ".join(str(item.get("name")) for item in outcomes or [])
    raise LookupError(f"no outcome called {name_or_id!r} on the server (there are: {names})")


def sheet_key(call_id: int, outcome: int) -> str:
    # One per (call, button): pressed twice, or resent by the next sync after a lost answer,
    # the server finds the key and saves nothing more. By the outcome's id, so "interested"
    # typed by hand is the same press as the button's "Interested".
    return f"agent-call-{call_id}-outcome-{outcome}"


def _follow_up_field(exc: HttpError) -> bool:
    errors = exc.body.get("errors") if isinstance(exc.body, dict) else None
    return any(str(e.get("field", "")).startswith("follow_up") for e in errors or [] if isinstance(e, dict))


def record_outcome(client: Client, call_id: int, name_or_id: str) -> tuple[str, dict]:
    """Save the outcome sheet of the server's call, as the web sheet does: the outcome, the
    lead's status it sets ("Interested" -> Interested), and its next follow-up replacing the open
    one. A button has no time picker: an outcome that needs a next follow-up gets "tomorrow
    11 am" (the sheet's "tomorrow" chip, in the organisation's zone). A call whose number is no
    lead cannot carry a follow-up: its outcome alone is recorded, as before the sheet."""
    outcome = outcome_of(client, name_or_id)
    body = {"outcome_id": outcome["id"], "key": sheet_key(call_id, outcome["id"])}
    if outcome.get("asks_follow_up"):
        body["follow_up"] = dict(TOMORROW)
    try:
        _, answer = client.call("POST", f"/calls/{call_id}/sheet", body)
    except HttpError as exc:
        if isinstance(exc, AuthError) or exc.status >= 500 or not _follow_up_field(exc):
            raise
        if "follow_up" in body:
            # Refused with a follow-up: the call has no lead to follow up.
            _, answer = client.call("POST", f"/calls/{call_id}/outcome", {"outcome_id": outcome["id"]})
        else:
            # The outcome was made to ask for one since it was listed: send it with one.
            _, answer = client.call("POST", f"/calls/{call_id}/sheet", {**body, "follow_up": dict(TOMORROW)})
    return outcome["name"], answer


# Outcomes pressed while the server was out of reach: [call id, outcome], oldest first, sent by
# the next sync or watch round.
KEPT = "kept_outcomes"


def keep_outcome(store: Store, call_id: int, outcome: str) -> None:
    with store.tx():
        kept = store.get(KEPT, [])
        if [call_id, outcome] not in kept:
            kept.append([call_id, outcome])
        store.put(KEPT, kept)


def _forget(store: Store, item: list) -> None:
    with store.tx():
        store.put(KEPT, [k for k in store.get(KEPT, []) if k != item])


def send_kept_outcomes(client: Client, store: Store, *, progress=print) -> int:
    """Send the outcomes kept offline, in the order pressed; returns how many were saved. One
    the server refuses for good (the call erased, an outcome renamed) is dropped and said."""
    saved = 0
    for item in list(store.get(KEPT, [])):
        call_id, outcome = item
        try:
            name, _ = record_outcome(client, call_id, outcome)
        except (NetworkError, AuthError):
            return saved  # still out of reach, or not paired any more: kept for later
        except (HttpError, LookupError) as exc:
            progress(f"outcome {outcome!r} for call {call_id} not saved, dropped: {exc}")
        else:
            saved += 1
            progress(f"saved: {name} on call {call_id} (pressed while offline)")
        _forget(store, item)
    return saved
