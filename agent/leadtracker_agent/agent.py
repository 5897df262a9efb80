"""What the commands do: punches, the sync round (punches, shifts, read, send, report), watch."""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import os
import platform
import shutil
import subprocess
import time
import urllib.parse

from leadtracker_agent import readers
from leadtracker_agent.calls import Call, iso, resolve_tz
from leadtracker_agent.client import AuthError, Client, HttpError, NetworkError
from leadtracker_agent.config import Config, ConfigError
from leadtracker_agent.privacy import Exclusions
from leadtracker_agent.store import KEEP_DAYS, Store
from leadtracker_agent.words import t

# Re-read this much before the last read every time: a call's row is written when it ends
# but dated when it starts (sync protocol, client duties).
OVERLAP_S = 24 * 3600
MAX_BATCH = 500  # protocol: at most 500 calls a request
ENQUEUE_CHUNK = 1000
# A row the server refused as "in the future" is the phone's clock running ahead: kept and
# offered again after this long instead of being lost.
FUTURE_RETRY_S = 300
# After the shift ends, watch keeps reading this long: a call still going at punch-out is
# written to the log only when it ends.
LATE_CALL_S = 2 * 3600
# The server takes punches up to 5 minutes in the future: ask for shifts a little past now.
FUTURE_S = 600
# The only answers to a punch that are a verdict on the punch itself (attendance.actions):
# 409 (not punched in; starts before the previous shift ended) and 422 (a bad time or place).
# Anything else — a redirect, 404, 408, 429 — says nothing about the punch: it is kept.
FINAL_PUNCH_STATUSES = (409, 422)
# A Retry-After beyond this is not believed (a broken proxy must not silence the agent for days).
MAX_WAIT_S = 3600


class ProtocolError(Exception):
    """The server's answer does not follow the protocol; nothing is removed from the outbox."""


class BusyError(Exception):
    pass


def _in_the_future(exc: HttpError) -> bool:
    """A 422 refusing a time as too far ahead: by its code (the server's messages are in the
    person's language: a Hindi speaker's says "… आगे का है"), or by the English of a server
    that sends no code."""
    errors = exc.body.get("errors") if isinstance(exc.body, dict) else None
    codes = {e.get("code") for e in errors or [] if isinstance(e, dict)}
    return "in_the_future" in codes or "future" in exc.detail


def _held(rejection: dict) -> bool:
    """A call-log row refused as too far ahead (the phone's clock runs fast): by its code, since
    the reason is in the person's language, or by the English of a server that sends no code."""
    code = rejection.get("code")
    return code == "in_the_future" if code else "future" in rejection["error"]


# --- the source ------------------------------------------------------------------------------


@dataclasses.dataclass
class Source:
    kind: str  # termux | adb | file
    path: str | None = None
    fmt: str | None = None

    @property
    def label(self) -> str:
        return f"file:{self.path}" if self.kind == "file" else self.kind

    @classmethod
    def parse(cls, spec: str | None, fmt: str | None) -> Source:
        if fmt is not None and fmt not in readers.FORMATS:
            raise readers.SourceError(f"--format: {fmt!r} is not one of {', '.join(readers.FORMATS)}")
        if not spec:
            if shutil.which("termux-call-log"):
                spec = "termux"
            elif shutil.which("adb"):
                spec = "adb"
            else:
                raise readers.SourceError(
                    "--source: neither termux-call-log nor adb is installed; give --source file:PATH "
                    "(or set a default: leadtracker-agent config source file:PATH)"
                )
        if spec in ("termux", "adb"):
            return cls(spec)
        if spec.startswith("file:") and len(spec) > 5:
            return cls("file", spec[5:], fmt)
        raise readers.SourceError(f"--source: {spec!r} is not termux, adb or file:PATH")

    def rows(self, since_epoch: int, tz, *, page_size: int, timeout: float, progress):
        if self.kind == "termux":
            return readers.termux_live(
                since_epoch, tz, page_size=page_size, timeout=timeout, progress=progress
            )
        if self.kind == "adb":
            return readers.adb_live(since_epoch, tz, timeout=timeout, progress=progress)
        progress(f"read: {self.path}")
        return readers.read_file(self.path, self.fmt, tz)


class ShiftWindow:
    """Is a moment inside one of the known shifts (start and end included, as the server has it)?"""

    def __init__(self, shifts: list[tuple[float, float | None]]):
        self.shifts = sorted(shifts, key=lambda shift: shift[0])  # an open end is None: not comparable
        self.starts = [s for s, _ in self.shifts]

    def __contains__(self, moment: float) -> bool:
        i = bisect.bisect_right(self.starts, moment) - 1
        # Shifts do not overlap on the server; looking at a few before covers any local overlap.
        for j in range(i, max(-1, i - 3), -1):
            start, end = self.shifts[j]
            if start <= moment and (end is None or moment <= end):
                return True
        return False


# --- the device ------------------------------------------------------------------------------


def device_info() -> dict[str, str]:
    """platform and os_version for pairing and the X-OS header."""
    if os.environ.get("TERMUX_VERSION") or "com.termux" in os.environ.get("PREFIX", ""):
        release = ""
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            release = subprocess.run(
                ["getprop", "ro.build.version.release"],  # noqa: S607
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            ).stdout.strip()
        return {"platform": "android", "os_version": f"Android {release}".strip()}
    return {
        "platform": platform.system().lower() or "unknown",
        "os_version": f"{platform.system()} {platform.release()}",
    }


@contextlib.contextmanager
def locked(path, *, wait: float):
    """One agent process at a time works on the state (watch from Termux:Boot and a sync by
    hand). The kernel drops the lock when the holder dies, even by SIGKILL."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; SQLite transactions still keep the state whole
        yield
        return
    fh = open(path, "a+")  # noqa: SIM115
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"another leadtracker-agent is working on {path.parent}; try again later"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        fh.close()


# --- the sync round --------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    punches_sent: int = 0
    punches_refused: list[str] = dataclasses.field(default_factory=list)
    read: int | None = None  # None: the call log was not read
    read_note: str = ""
    problems: list[str] = dataclasses.field(default_factory=list)
    excluded: int = 0
    outside_shift: int = 0
    queued: int = 0
    batches: int = 0
    sent: int = 0
    stored: int = 0
    duplicates: int = 0
    server_outside_shift: int = 0
    rejected: int = 0
    held: int = 0
    refused: int = 0
    outbox: int = 0
    punches_waiting: int = 0
    dropped: int = 0  # queued calls dropped unsent: their number excluded or their shift closed since
    error: str = ""
    source_error: str = ""
    fatal: bool = False  # the token was refused: nothing more can be done without pairing

    def line(self) -> str:
        parts = []
        if self.punches_sent or self.punches_refused:
            parts.append(
                f"{self.punches_sent} punch(es) sent"
                + (f", {len(self.punches_refused)} refused" if self.punches_refused else "")
            )
        if self.read is None:
            parts.append(f"call log not read ({self.read_note})" if self.read_note else "call log not read")
        else:
            text = f"read {self.read} calls, {self.queued} new queued"
            extra = [
                f"{n} {what}"
                for n, what in (
                    (self.outside_shift, "outside the shift"),
                    (self.excluded, "excluded"),
                    (len(self.problems), "unreadable"),
                )
                if n
            ]
            parts.append(text + (f" ({', '.join(extra)})" if extra else ""))
        if self.batches:
            parts.append(
                f"sent {self.sent} in {self.batches} batch(es): {self.stored} stored, "
                f"{self.duplicates} duplicates, "
                f"{self.server_outside_shift} outside shift, {self.rejected} rejected"
            )
        if self.refused:
            parts.append(f"{self.refused} refused by the server (set aside, never resent: status -v)")
        if self.dropped:
            parts.append(f"{self.dropped} queued dropped unsent (number excluded or off shift since)")
        if not (self.batches or self.refused or self.dropped or self.error):
            parts.append("nothing to send")
        parts.append(f"outbox {self.outbox}")
        if self.punches_waiting:
            parts.append(f"{self.punches_waiting} punch(es) waiting")
        if self.source_error:
            parts.append(f"CALL LOG: {self.source_error}")
        if self.error:
            parts.append(f"STOPPED: {self.error}")
        return "sync: " + "; ".join(parts)


class Agent:
    def __init__(
        self,
        config: Config,
        store: Store,
        client: Client,
        *,
        source: Source | None = None,
        tz=None,
        tz_from_config: bool = False,
        batch_size: int = MAX_BATCH,
        page_size: int = 100,
        source_timeout: float = 60,
        progress=None,
    ):
        self.config = config
        self.store = store
        self.client = client
        self.source = source
        self.tz = tz
        # True when no --tz was given: the zone is config.json's, read again every round.
        self.tz_from_config = tz_from_config
        self.batch_size = max(1, min(MAX_BATCH, batch_size))
        self.page_size = max(1, page_size)
        self.source_timeout = source_timeout
        self.progress = progress or (lambda message: None)

    # punches -----------------------------------------------------------------------------------

    def punch(self, kind: str, at: float, location: dict | None) -> tuple[str, int]:
        """Record the punch at once (the phone may be offline), then try to send all waiting
        punches in order. Returns a message and an exit status."""
        self.store.add_punch(kind, at, location)
        when = _clock(at)
        word = t("punch-in") if kind == "in" else t("punch-out")
        later = t("It is sent with its real time at the next sync ({n} punch(es) waiting).")
        wait_until = self._server_wait()
        if wait_until is not None:
            waiting = self.store.counts()["punches"]
            return (
                t(
                    "{word} at {when} recorded; the server asked to wait until {until} (429). ",
                    word=word,
                    when=when,
                    until=_clock(wait_until),
                )
                + later.format(n=waiting),
                0,
            )
        try:
            result = Result()
            self.flush_punches(result)
        except NetworkError as exc:
            waiting = self.store.counts()["punches"]
            message = t(
                "{word} at {when} recorded; the server is unreachable ({error}). ",
                word=word,
                when=when,
                error=exc,
            )
            return message + later.format(n=waiting), 0
        except AuthError:
            raise
        except HttpError as exc:
            self._note_wait(exc)
            waiting = self.store.counts()["punches"]
            return (
                t(
                    "{word} at {when} recorded and kept, not taken by the server yet: {detail} ({status}). ",
                    word=word,
                    when=when,
                    detail=exc.detail,
                    status=exc.status,
                )
                + later.format(n=waiting),
                1,
            )
        if result.punches_refused:
            refused = "; ".join(result.punches_refused)
            return t("{word} at {when}: the server refused it: {why}", word=word, when=when, why=refused), 1
        self.store.set(clock_offset=self.client.clock_offset)
        return t(
            "{word} at {when}: done ({n} punch(es) sent)", word=word, when=when, n=result.punches_sent
        ), 0

    def flush_punches(self, result: Result) -> None:
        """Send waiting punches oldest first. A 409 or 422 drops that punch (never resent as
        is). A network error or 5xx, and any other 4xx (raised: the round stops), leave it and
        every later one waiting, in order."""
        for punch_id, kind, at, location, _shift_id in self.store.pending_punches():
            body: dict = {"at": dt.datetime.fromtimestamp(at, dt.UTC).isoformat(timespec="seconds")}
            if location:
                body["location"] = location
            path = "/attendance/punch-in" if kind == "in" else "/attendance/punch-out"
            self.progress(f"punch: sending {kind} of {iso(at)}")
            try:
                try:
                    _, shift = self.client.call("POST", path, body)
                except HttpError as exc:
                    offset = self.client.clock_offset
                    if exc.status != 422 or not _in_the_future(exc) or offset is None or offset > -1:
                        raise
                    # The phone's clock runs ahead of the server's: the punch is real, its time is
                    # the phone's. Sent once more (not as it was) in the server's time, measured
                    # from the Date of the answer just received.
                    body["at"] = dt.datetime.fromtimestamp(at + offset, dt.UTC).isoformat(timespec="seconds")
                    self.progress(f"punch: the phone is {-offset:.0f} s ahead; sending {body['at']}")
                    _, shift = self.client.call("POST", path, body)
            except AuthError:
                raise
            except HttpError as exc:
                if exc.status not in FINAL_PUNCH_STATUSES:
                    raise
                self.store.punch_refused(punch_id)
                result.punches_refused.append(f"punch-{kind} of {iso(at)}: {exc.detail} ({exc.status})")
                continue
            self.store.punch_done(punch_id, shift if _is_shift(shift) else None)
            result.punches_sent += 1

    def shifts_period(self, now: float) -> tuple[float, float]:
        """What to ask the server's shifts for: the read window (24 h before the last read, or
        before now on a first read) and back to the oldest call still queued, which is checked
        against them before it is sent."""
        kind = self.source.kind if self.source else None
        last_read = self.store.get(f"read_started:{kind}") if kind in ("termux", "adb") else None
        start = min(now, last_read if last_read is not None else now) - OVERLAP_S
        oldest = self.store.oldest_queued()
        if oldest is not None:
            start = min(start, oldest)
        # The phone keeps nothing older (and the server answers at most 93 days).
        start = max(start, now - KEEP_DAYS * 86400)
        return start, now + FUTURE_S

    def refresh_shifts(self, now: float) -> None:
        """The person's shifts from the server, the truth for the period: closed on the web or
        at the day's end (the phone would otherwise queue and send calls after the close), or
        opened and closed on the web between two syncs (whose calls it would never send)."""
        start, end = self.shifts_period(now)
        query = urllib.parse.urlencode({"start": iso(start), "end": iso(end)})
        _, answer = self.client.call("GET", f"/attendance/shifts?{query}")
        if not isinstance(answer, list) or not all(_is_shift(shift) for shift in answer):
            raise ProtocolError("the server's shifts are not a list of shifts; nothing sent")
        with self.store.tx():
            self.store.replace_server_shifts(start, end, answer)
        self.progress(f"shifts: {len(answer)} from the server since {iso(start)}")

    def reload_config(self) -> None:
        """Read config.json again. `exclude add`, `config tz` and `pair --force` write it from
        their own process while a watch runs; a watch that kept the Config it started with
        would upload calls of a number excluded since, or go on with a replaced token."""
        fresh = Config(self.config.home)
        if not fresh.paired:
            raise ConfigError(f"not paired any more ({fresh.path} has no server or token): pair again")
        tz = resolve_tz(fresh.get("tz")) if self.tz_from_config else self.tz
        self.config, self.tz = fresh, tz
        self.client.server = fresh.get("server").rstrip("/")
        self.client.token = fresh.get("token")

    def _server_wait(self) -> float | None:
        """Until when the server asked us (429, Retry-After) to send nothing; None: go ahead."""
        until = self.store.get("server_wait_until")
        return until if until is not None and time.time() < until else None

    def _note_wait(self, exc: HttpError) -> None:
        if exc.status == 429 and exc.retry_after:
            self.store.set(server_wait_until=time.time() + min(exc.retry_after, MAX_WAIT_S))

    # reading -----------------------------------------------------------------------------------

    def read(self, result: Result, *, now: float, only_if_needed: bool = False) -> str | None:
        """Read the window, queue the calls inside a shift and not excluded. Returns the
        permission state to report ("granted"/"revoked") or None."""
        shifts = self.store.shifts()
        if not shifts:
            result.read_note = "no shift known: punch in first"
            return None
        kind = self.source.kind
        earliest = shifts[0][0]
        last_read = None if kind == "file" else self.store.get(f"read_started:{kind}")
        since = earliest if last_read is None else max(earliest, last_read - OVERLAP_S)
        # A shift learned from the server after the call log was read over it (punched on the
        # web, backdated, while the phone was off or off shift): read back to it once.
        reread = None if kind == "file" else self.store.get("reread_from")
        if reread is not None:
            since = max(earliest, min(since, reread))
        if not any(end is None or end >= since for _, end in shifts):
            result.read_note = "no shift since the last read"
            return None
        if only_if_needed and reread is None:
            last_end = max((end for _, end in shifts if end is not None), default=None)
            open_now = any(end is None for _, end in shifts)
            if not open_now and last_end is not None and last_read is not None:
                if last_read > last_end and now - last_end > LATE_CALL_S:
                    result.read_note = "off shift"
                    return None
        window = ShiftWindow(shifts)
        exclusions = Exclusions(self.config.get("exclude", []))  # read again at the round's start
        read_started = now
        result.read = 0
        chunk: list[Call] = []
        try:
            if kind == "adb":
                self._check_adb_phone()
            rows = self.source.rows(
                int(since),
                self.tz,
                page_size=self.page_size,
                timeout=self.source_timeout,
                progress=self.progress,
            )
            for item in rows:
                if isinstance(item, readers.Problem):
                    result.problems.append(str(item))
                    self.progress(f"read: skipped {item}")
                    continue
                result.read += 1
                if item.number in exclusions:
                    result.excluded += 1
                elif item.epoch not in window:
                    result.outside_shift += 1
                else:
                    chunk.append(item)
                    if len(chunk) >= ENQUEUE_CHUNK:
                        result.queued += self.store.enqueue(chunk)
                        chunk = []
        except readers.SourceError as exc:
            if chunk:
                result.queued += self.store.enqueue(chunk)
            result.source_error = str(exc)
            return "revoked" if exc.permission else None
        # The watermark moves with the last rows, in one transaction: killed before it, the
        # next read covers the same window.
        meta = {"last_read_at": read_started, "last_read_source": self.source.label}
        if kind != "file":
            meta[f"read_started:{kind}"] = read_started
            meta["reread_from"] = None
        result.queued += self.store.enqueue(chunk, meta=meta)
        self.progress(f"read: done, {result.read} rows, queued {result.queued}")
        return "granted" if kind != "file" else None

    def _check_adb_phone(self) -> None:
        """Row ids (`_id`) are unique within one phone only. A laptop that reads a second phone
        with the same agent home would take that phone's row 1201 for the first phone's and
        never send it: each phone is paired as a device of its own, with its own --home."""
        serial = readers.adb_serial(timeout=self.source_timeout)
        known = self.store.get("adb_serial")
        if known is None:
            self.store.set(adb_serial=serial)
        elif known != serial:
            raise readers.SourceError(
                f"adb: the attached phone is {serial}, but this agent home syncs phone {known}; pair "
                f"each phone as its own device with its own --home (or unplug {serial})"
            )

    # sending ----------------------------------------------------------------------------------

    def send(self, result: Result) -> None:
        """The outbox in batches, oldest first. Call only after this round's refresh_shifts."""
        while True:
            now = time.time()
            batch = self.store.next_batch(self.batch_size, now=now)
            if not batch:
                return
            # Every batch is checked again, not only when the call log was read: a number
            # excluded since (`exclude add` writes config.json from its own process, even
            # during this round) and a shift the server closed earlier than the phone thought
            # keep their calls on the phone. Calls older than what the phone remembers of the
            # shifts are left to the server to judge.
            exclusions = Exclusions(Config(self.config.home).get("exclude", []))
            window = ShiftWindow(self.store.shifts())
            horizon = now - KEEP_DAYS * 86400
            drop = [
                row[0]
                for row in batch
                if row[2] in exclusions or (row[1] >= horizon and row[1] not in window)
            ]
            if drop:
                self.store.drop(drop)
                result.dropped += len(drop)
                self.progress(f"send: dropped {len(drop)} queued call(s) now excluded or off shift")
                continue
            self._send_batch(batch, result)

    def _send_batch(self, batch: list, result: Result) -> None:
        """Send one batch. A refused request is never sent again as it was: the calls a 422
        names are set aside and the rest sent again, a 413 halves the request, and any other
        4xx (about the request or the server, not a call) stops the round with every call kept."""
        parts = [batch]
        while parts:
            part = parts.pop()
            body = ('{"calls":[' + ",".join(row[3] for row in part) + "]}").encode()
            self.progress(f"send: batch of {len(part)}")
            try:
                _, answer = self.client.call("POST", "/calls/sync", body)
            except AuthError:
                raise
            except HttpError as exc:
                named = _rows_named(exc.body, len(part)) if exc.status == 422 else {}
                if named:
                    # Something in those calls the server never takes (calls.3.sms_body): only they go.
                    indexes = sorted(named)
                    self.store.refuse([part[i] for i in indexes], [f"422: {named[i]}" for i in indexes])
                    result.refused += len(indexes)
                    self.progress(f"send: the server refused {len(indexes)} call(s): {exc.detail}")
                    rest = [row for i, row in enumerate(part) if i not in named]
                    if rest:
                        parts.append(rest)
                    continue
                if exc.status == 413 and len(part) > 1:
                    half = len(part) // 2
                    parts += [part[half:], part[:half]]  # the older half goes first
                    continue
                raise
            self._answered(part, answer, result)

    def _answered(self, batch: list, answer, result: Result) -> None:
        check_answer(answer, len(batch))
        refused, held = {}, {}
        retry_at = time.time() + FUTURE_RETRY_S
        for rejection in answer["rejected"]:
            if _held(rejection):
                held[rejection["index"]] = retry_at
            else:
                # Kept for `status -v`, in the person's words where the server sends them.
                refused[rejection["index"]] = rejection.get("message") or rejection["error"]
        self.store.answer(batch, refused=refused, held=held, meta={"last_send_at": time.time()})
        result.refused += len(refused)
        result.batches += 1
        result.sent += len(batch)
        result.stored += answer["stored"]
        result.duplicates += answer["duplicates"]
        result.server_outside_shift += answer["outside_shift"]
        result.rejected += len(answer["rejected"])
        result.held += len(held)
        self.progress(
            f"send: answered {answer['stored']} stored, {answer['duplicates']} duplicates, "
            f"{answer['outside_shift']} outside shift, {len(answer['rejected'])} rejected"
        )

    def report_state(self, permission: str | None, *, retry: bool = False) -> dict | None:
        body: dict = {"queue_length": self.store.counts()["outbox"]}
        if permission:
            body["call_log_permission"] = permission
        last_read = self.store.get("last_read_at")
        if last_read:
            body["last_call_log_read_at"] = iso(last_read)
        _, answer = self.client.call("POST", "/devices/state", body, retry=retry)
        return answer

    # the round --------------------------------------------------------------------------------

    def sync(self, *, only_if_needed: bool = False, read: bool = True) -> Result:
        """One round: punches, the server's shifts, the call log, the outbox, the device state.
        Offline, the call log is still read and queued (Android drops rows beyond 500) against
        the shifts the phone knows; calls are sent only once this round has the server's.
        ``read=False``: the outbox only, for calls the newest-rows poll has just queued."""
        self.reload_config()
        result = Result()
        now = time.time()
        online = True
        wait_until = self._server_wait()
        if wait_until is not None:
            online = False
            result.error = f"the server asked to wait until {_clock(wait_until)} (429)"
        steps = (
            (lambda: self.flush_punches(result), "a punch was not taken, kept for the next round"),
            (lambda: self.refresh_shifts(now), "the server did not give the shifts; calls kept"),
        )
        for step, why in steps:
            if not online:
                break
            try:
                step()
            except NetworkError as exc:
                online, result.error = False, f"server unreachable: {exc}"
            except AuthError as exc:
                return self._fatal(result, exc)
            except (HttpError, ProtocolError) as exc:
                # Stop asking: sending calls without the server's shifts could send what the
                # server drops, and a server that did not take a punch would drop its calls.
                online, result.error = False, f"{why}: {exc}"
                if isinstance(exc, HttpError):
                    self._note_wait(exc)
        if read:
            permission = self.read(result, now=now, only_if_needed=only_if_needed)
        else:
            permission, result.read_note = None, "the newest rows only"
        if online:
            try:
                self.send(result)
            except NetworkError as exc:
                result.error = f"server unreachable: {exc}"
                online = False
            except AuthError as exc:
                return self._fatal(result, exc)
            except HttpError as exc:
                result.error = f"the server refused the batch, all calls kept: {exc}"
                self._note_wait(exc)
                online = exc.status != 429
            except ProtocolError as exc:
                result.error = str(exc)
        if online:
            with contextlib.suppress(NetworkError, HttpError):
                self.report_state(permission)
        counts = self.store.counts()
        result.outbox, result.punches_waiting = counts["outbox"], counts["punches"]
        facts = {
            "last_sync_at": time.time(),
            "last_sync": result.line(),
            "clock_offset": self.client.clock_offset,
        }
        if result.error or result.source_error:
            facts.update(last_error=result.error or result.source_error, last_error_at=time.time())
        self.store.set(**facts)
        self.store.prune(now)
        return result

    def _fatal(self, result: Result, exc: AuthError) -> Result:
        result.error, result.fatal = str(exc), True
        counts = self.store.counts()
        result.outbox, result.punches_waiting = counts["outbox"], counts["punches"]
        self.store.set(last_error=str(exc), last_error_at=time.time())
        return result


def _rows_named(body, size: int) -> dict[int, str]:
    """The calls a 422 names (``calls.17.sms_body``): index → what the server said of it."""
    named: dict[int, str] = {}
    errors = body.get("errors") if isinstance(body, dict) else None
    for error in errors if isinstance(errors, list) else []:
        field = str(error.get("field", "")) if isinstance(error, dict) else ""
        parts = field.split(".")
        if len(parts) >= 2 and parts[0] == "calls" and parts[1].isdigit() and int(parts[1]) < size:
            message = f"{field}: {error.get('message', 'refused')}"
            index = int(parts[1])
            named[index] = f"{named[index]}; {message}" if index in named else message
    return named


def _is_shift(shift) -> bool:
    """A shift as the API gives it (ShiftOut), with the fields the phone uses."""
    if (
        not isinstance(shift, dict)
        or isinstance(shift.get("id"), bool)
        or not isinstance(shift.get("id"), int)
    ):
        return False
    try:
        for key in ("started_at", "ended_at"):
            value = shift.get(key)
            if (key == "started_at" or value is not None) and (
                not isinstance(value, str)
                or dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is None
            ):
                return False
    except ValueError:
        return False
    return True


def _clock(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch).astimezone().strftime("%H:%M:%S")


def check_answer(answer, sent: int) -> None:
    def bad(why: str):
        raise ProtocolError(
            f"the server's answer does not follow the protocol ({why}); nothing removed from the outbox"
        )

    if not isinstance(answer, dict):
        bad("not a JSON object")
    for key in ("received", "stored", "duplicates", "outside_shift"):
        value = answer.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            bad(f"{key}: not a count")
    rejected = answer.get("rejected")
    if not isinstance(rejected, list):
        bad("rejected: not a list")
    if answer["received"] != sent:
        bad(f"received {answer['received']} of {sent} sent")
    if (
        answer["stored"] + answer["duplicates"] + answer["outside_shift"] + len(rejected)
        != answer["received"]
    ):
        bad("stored + duplicates + outside_shift + rejected is not received")
    seen = set()
    for item in rejected:
        index = item.get("index") if isinstance(item, dict) else None
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < sent or index in seen:
            bad("rejected: an index out of the batch")
        if not isinstance(item.get("error"), str):
            bad("rejected: an error that is not text")
        seen.add(index)


def make_client(config: Config, *, timeout: float, retries: int, backoff: float, progress=None) -> Client:
    info = device_info()
    return Client(
        config.get("server"),
        config.get("token"),
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        ca_file=config.get("ca_file"),
        os_name=info["os_version"],
        progress=progress,
    )
