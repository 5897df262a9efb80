"""Readers of the three call-log formats (see ../shared/fixtures/call-logs/README.md).

Each reader yields ``Call`` objects, and ``Problem`` objects for rows it cannot read: one bad
row never stops the others. A source that cannot be read at all raises ``SourceError``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from leadtracker_agent.calls import (
    ANDROID_TYPES,
    PRESENTATION_ALLOWED,
    Call,
    RowError,
    ascii_digits,
    clean_country,
    clean_name,
    clean_sim,
    derived_id,
    from_epoch,
    from_local,
)

FORMATS = ("termux", "adb", "sbr")


class SourceError(Exception):
    """The source as a whole cannot be read. ``permission`` is True when the phone refused
    access to the call log (reported to the server as a revoked permission)."""

    def __init__(self, message: str, *, permission: bool = False):
        super().__init__(message)
        self.permission = permission


@dataclasses.dataclass(slots=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _int(value, field: str, what: str) -> int:
    if isinstance(value, bool):
        raise RowError(f"{field}: {value!r} is not {what}")
    if isinstance(value, int):
        return value
    text = ascii_digits(str(value if value is not None else "")).strip()
    if not re.fullmatch(r"-?\d+", text):
        raise RowError(f"{field}: {value!r} is not {what}")
    return int(text)


def _android_type(value) -> str:
    code = _int(value, "type", "a call type code")
    try:
        return ANDROID_TYPES[code]
    except KeyError:
        raise RowError(f"type: unknown call type code {code} (known: 1 to 7)") from None


def _epoch_from_ms(value) -> int:
    ms = _int(value, "date", "milliseconds since the epoch")
    if ms < 0:
        raise RowError(f"date: {value!r} is before 1970")
    # The server identifies a call to the second; so does the derived id.
    return ms // 1000


def _duration(value) -> int:
    seconds = _int(value, "duration", "a whole number of seconds")
    if seconds < 0:
        raise RowError(f"duration: {seconds} is negative")
    return seconds


# --- Termux:API termux-call-log --------------------------------------------------------------

TERMUX_TYPES = {
    "INCOMING": "incoming",
    "OUTGOING": "outgoing",
    "MISSED": "missed",
    "VOICEMAIL": "voicemail",
    "REJECTED": "rejected",
    "BLOCKED": "blocked",
    # Termux:API prints every other code as UNKNOWN_TYPE; on stock Android that is 7,
    # answered on another device (fixtures README).
    "UNKNOWN_TYPE": "answered_externally",
}
_TERMUX_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")


def _termux_duration(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value  # Termux:API before 0.51 printed plain seconds
    else:
        text = ascii_digits(str(value if value is not None else "")).strip()
        parts = text.split(":")
        if not (1 <= len(parts) <= 3) or not all(p.isdigit() for p in parts):
            raise RowError(f"duration: {value!r} is not MM:SS, HH:MM:SS or seconds")
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
    if seconds < 0:
        raise RowError(f"duration: {value!r} is negative")
    return seconds


def termux_row(row, tz: dt.tzinfo | None) -> Call:
    if not isinstance(row, dict):
        raise RowError("not a JSON object")
    raw_date = row.get("date")
    match = _TERMUX_DATE.fullmatch(ascii_digits(str(raw_date or "")).strip())
    if not match:
        raise RowError(f"date: {raw_date!r} is not YYYY-MM-DD HH:MM:SS")
    try:
        # Naive on purpose: the phone printed wall-clock time; from_local places it in --tz.
        naive = dt.datetime(*(int(g or 0) for g in match.groups()))  # noqa: DTZ001
    except ValueError:
        raise RowError(f"date: {raw_date!r} is not a real date and time") from None
    started_at = from_local(naive, tz)
    raw_type = str(row.get("type") or "").strip().upper()
    if raw_type not in TERMUX_TYPES:
        raise RowError(f"type: unknown call type {row.get('type')!r}")
    call_type = TERMUX_TYPES[raw_type]
    duration = _termux_duration(row.get("duration"))
    number = row.get("phone_number")
    number = "" if number is None else str(number).strip()
    epoch = int(started_at.timestamp())
    return Call(
        device_call_id=derived_id(epoch, number, call_type, duration),
        number=number,
        country_iso=None,
        type=call_type,
        started_at=started_at,
        duration_s=duration,
        sim=clean_sim(row.get("sim_id")),
        contact_name=clean_name(row.get("name"), unknown="UNKNOWN_CALLER"),
    )


def termux_rows(text: str, tz: dt.tzinfo | None, *, origin: str = "termux-call-log") -> list:
    """One JSON array as termux-call-log prints it: Calls and Problems, in the printed order."""
    stripped = text.strip()
    if not stripped:
        # An empty call log prints "[]"; nothing at all means Termux:API did not answer,
        # which is what it does without the call-log permission.
        raise SourceError(
            f"{origin} printed nothing: allow Termux:API the call-log permission "
            "(Android settings > Apps > Termux:API > Permissions)",
            permission=True,
        )
    try:
        data = json.loads(stripped)
    except ValueError as exc:
        raise SourceError(
            f"{origin}: not the JSON termux-call-log prints ({exc}): {stripped[:120]!r}"
        ) from None
    if isinstance(data, dict) and ("error" in data or "message" in data):
        message = str(data.get("error") or data.get("message"))
        raise SourceError(f"{origin}: {message}", permission="permission" in message.lower())
    if not isinstance(data, list):
        raise SourceError(f"{origin}: expected a JSON array of calls, got {type(data).__name__}")
    out = []
    for i, row in enumerate(data):
        try:
            out.append(termux_row(row, tz))
        except RowError as exc:
            out.append(Problem(f"{origin} row {i + 1}", str(exc)))
    return out


def termux_live(
    since_epoch: int,
    tz: dt.tzinfo | None,
    *,
    page_size: int = 100,
    command: str = "termux-call-log",
    timeout: float = 60,
    progress=None,
) -> Iterator:
    """Page through the phone's call log, newest first, until a page reaches back before
    ``since_epoch``. termux-call-log sorts by date descending, applies -l/-o, and prints each
    page oldest first. A call logged while we page pushes older rows to higher offsets, so the
    next page may repeat a row (deduplicated by its id) but never skips one."""
    exe = shutil.which(command)
    if exe is None:
        raise SourceError(
            f"{command} not found: install it with `pkg install termux-api` (and the Termux:API app)"
        )
    offset, previous = 0, None
    while True:
        if progress:
            progress(f"read: termux-call-log page -l {page_size} -o {offset}")
        text = run_tool([exe, "-l", str(page_size), "-o", str(offset)], timeout=timeout, name=command)
        rows = termux_rows(text, tz, origin=f"{command} -o {offset}")
        if not rows:
            return
        if previous is not None and text == previous:
            # An old Termux:API that ignores -o returns the newest page every time.
            raise SourceError(f"{command} ignores -o (offset): update Termux:API and the termux-api package")
        previous = text
        oldest = None
        for item in rows:
            if isinstance(item, Call):
                oldest = item.epoch if oldest is None else min(oldest, item.epoch)
                if item.epoch >= since_epoch:
                    yield item
            else:
                yield item
        if len(rows) < page_size or (oldest is not None and oldest < since_epoch):
            return
        offset += page_size
        if offset >= 50_000:
            raise SourceError(f"{command}: more than 50,000 rows without reaching the window; stopping")


def termux_newest(
    limit: int, tz: dt.tzinfo | None, *, command: str = "termux-call-log", timeout: float = 60
) -> list:
    """The newest ``limit`` rows only (-l LIMIT -o 0): what watch polls every 25 s on shift to
    see a call as soon as it ends, at a fraction of a full read's cost (bench_agent_poll)."""
    exe = shutil.which(command)
    if exe is None:
        raise SourceError(
            f"{command} not found: install it with `pkg install termux-api` (and the Termux:API app)"
        )
    text = run_tool([exe, "-l", str(limit), "-o", "0"], timeout=timeout, name=command)
    return termux_rows(text, tz, origin=f"{command} -l {limit}")


def run_tool(argv: list[str], *, timeout: float, name: str) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        # termux-call-log waits forever when the Termux:API app is missing.
        raise SourceError(
            f"{name} did not answer in {timeout:g} s: is the Termux:API app installed (from the same "
            "store as Termux) and allowed the call-log permission?"
        ) from None
    except OSError as exc:
        raise SourceError(f"{name} could not be run: {exc}") from None
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        detail = err or out.strip() or f"exit status {done.returncode}"
        raise SourceError(f"{name} failed: {detail[:300]}", permission="permission" in detail.lower())
    return out


# --- adb shell content query ----------------------------------------------------------------

ADB_PROJECTION = "_id:number:date:duration:type:presentation:subscription_id:countryiso:name"
# Every column of CallLog.Calls a saved query may print. Values are not escaped, so a name may
# contain ", x=y": a split is accepted only at a known column not yet seen in the row.
ADB_COLUMNS = frozenset(
    """_id number date duration type presentation subscription_id subscription_component_name
    countryiso name numbertype numberlabel geocoded_location features data_usage is_read new
    via_number post_dial_digits phone_account_address photo_id photo_uri formatted_number
    normalized_number matched_number lookup_uri voicemail_uri transcription transcription_state
    last_modified add_for_all_users block_reason call_screening_app_name
    call_screening_component_name missed_reason priority subject location composer_photo_uri
    is_call_log_phone_account_migration_pending""".split()
)
_ADB_KEY = re.compile(r"(?:^|, )([A-Za-z_][A-Za-z0-9_]*)=")
_ADB_ROW = re.compile(r"^Row: (\d+) ?(.*)$")


def split_adb_row(text: str) -> dict[str, str | None]:
    cuts = []
    seen = set()
    for match in _ADB_KEY.finditer(text):
        key = match.group(1)
        at_start = match.start() == 0
        if (at_start or key in ADB_COLUMNS) and key not in seen:
            seen.add(key)
            cuts.append((match.start(), match.end(), key))
    values: dict[str, str | None] = {}
    for i, (_, value_start, key) in enumerate(cuts):
        value_end = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        value = text[value_start:value_end]
        values[key] = None if value == "NULL" else value
    return values


def _adb_value(values: dict[str, str | None], column: str, what: str) -> str:
    """A column a call cannot do without. split_adb_row gives None for NULL; a column the row
    lacks altogether was left out of the query's --projection."""
    if column not in values:
        raise RowError(f"{column}: missing (add {column} to --projection)")
    value = values[column]
    if value is None or not value.strip():
        raise RowError(f"{column}: {'NULL' if value is None else 'empty'} (the phone recorded no {what})")
    return value


def adb_row(values: dict[str, str | None], tz: dt.tzinfo | None) -> Call:
    epoch = _epoch_from_ms(_adb_value(values, "date", "time for this call"))
    call_type = _android_type(_adb_value(values, "type", "type for this call"))
    if "duration" not in values:
        raise RowError("duration: missing (add duration to --projection)")
    # Some phones leave the duration of a missed or rejected call empty or NULL: it lasted 0 s
    # (as the SMS Backup & Restore reader reads an absent one). Dropping the row would lose the
    # call for good.
    duration = _duration((values["duration"] or "").strip() or "0")
    presentation = values.get("presentation")
    presentation = (
        PRESENTATION_ALLOWED if presentation in (None, "") else _int(presentation, "presentation", "1 to 5")
    )
    number = (values.get("number") or "").strip()
    if presentation != PRESENTATION_ALLOWED:
        number = ""
    row_id = (values.get("_id") or "").strip()
    return Call(
        device_call_id=row_id or derived_id(epoch, number, call_type, duration),
        number=number,
        country_iso=clean_country(values.get("countryiso")),
        type=call_type,
        started_at=from_epoch(epoch, tz),
        duration_s=duration,
        sim=clean_sim(values.get("subscription_id")),
        contact_name=clean_name(values.get("name"), unknown=""),
    )


def _adb_failure(text: str) -> SourceError | None:
    lowered = text.lower()
    if "securityexception" in lowered or "permission denial" in lowered:
        return SourceError(f"adb: the phone refused the call log: {text[:300]}", permission=True)
    if lowered.startswith("error"):
        return SourceError(f"adb: {text[:300]}")
    return None


def adb_rows(lines: Iterable[str], tz: dt.tzinfo | None, *, origin: str = "adb") -> Iterator:
    """Rows of ``content query`` output. A line that is not a new "Row:" continues the value
    before it: a name may hold a line break."""
    pending: tuple[str, str] | None = None

    def finish(number: str, text: str):
        try:
            return adb_row(split_adb_row(text), tz)
        except RowError as exc:
            return Problem(f"{origin} row {number}", str(exc))

    lines = iter(lines)
    for raw in lines:
        line = raw.rstrip("\r\n")
        match = _ADB_ROW.match(line)
        if match:
            if pending:
                yield finish(*pending)
            pending = (match.group(1), match.group(2).rstrip("\r"))
        elif pending is not None:
            pending = (pending[0], pending[1] + "\n" + line)
        elif line.strip() in ("", "No result found."):
            continue
        else:
            # Not a row before any row: an error message, often over several lines (the
            # exception's name comes on the line after "Error while accessing provider").
            more = [next(lines, "").strip() for _ in range(5)]
            text = " ".join(part for part in [line.strip(), *more] if part)
            raise _adb_failure(text) or SourceError(
                f"{origin}: not `content query` output: {line.strip()[:120]!r}"
            )
    if pending:
        yield finish(*pending)


def adb_serial(*, command: str = "adb", timeout: float = 30) -> str:
    exe = shutil.which(command)
    if exe is None:
        raise SourceError(f"{command} not found: install Android platform-tools (apt install adb)")
    serial = run_tool([exe, "get-serialno"], timeout=timeout, name=command).strip()
    if not serial or serial == "unknown":
        raise SourceError(f"{command}: no phone attached (USB debugging on, this computer accepted?)")
    return serial


def adb_live(
    since_epoch: int, tz: dt.tzinfo | None, *, command: str = "adb", timeout: float = 120, progress=None
):
    exe = shutil.which(command)
    if exe is None:
        raise SourceError(f"{command} not found: install Android platform-tools (apt install adb)")
    where = f"date>={since_epoch * 1000}"
    # adb joins its arguments into one command line for the phone's shell: quote the clauses.
    remote = (
        f"content query --uri content://call_log/calls --projection {ADB_PROJECTION} "
        f"--where '{where}' --sort 'date ASC'"
    )
    if progress:
        progress(f"read: adb content query --where {where}")
    out = run_tool([exe, "shell", remote], timeout=timeout, name=command)
    yield from adb_rows(io.StringIO(out), tz, origin="adb")


# --- SMS Backup & Restore calls-*.xml --------------------------------------------------------


class _CharRefFixer(io.RawIOBase):
    """SMS Backup & Restore writes characters outside the BMP (emoji in a contact name) as two
    numeric references to UTF-16 surrogates, e.g. ``&#55357;&#56832;``, which XML forbids and
    expat refuses. This stream joins such pairs into one reference and turns any other
    reference to a character XML forbids into U+FFFD, so one odd name does not lose a backup."""

    _REF = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);(?:&#(x[0-9a-fA-F]+|[0-9]+);)?")
    _REF_AT_END = re.compile(rb"&#(?:x[0-9a-fA-F]+|[0-9]+);\Z")
    _LONGEST_REF = 16  # "&#x0010FFFF;" and then some

    def __init__(self, raw, chunk: int = 1 << 20):
        self._raw = raw
        self._chunk = chunk
        self._carry = b""
        self._ready = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    @staticmethod
    def _code(text: bytes) -> int:
        return int(text[1:], 16) if text[:1] in (b"x", b"X") else int(text)

    @staticmethod
    def _allowed(code: int) -> bool:
        return (
            code in (0x9, 0xA, 0xD)
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF
        )

    def _fix(self, match: re.Match) -> bytes:
        first = self._code(match.group(1))
        second = self._code(match.group(2)) if match.group(2) else None
        if 0xD800 <= first <= 0xDBFF and second is not None and 0xDC00 <= second <= 0xDFFF:
            return b"&#%d;" % (0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        out = b"&#%d;" % (first if self._allowed(first) else 0xFFFD)
        if second is not None:
            out += b"&#%d;" % (second if self._allowed(second) else 0xFFFD)
        return out

    def _split_tail(self, data: bytes) -> tuple[bytes, bytes]:
        """Keep back what the next chunk may complete: a cut reference, and the whole run of
        references just before it (the first half of a pair must meet its second half)."""
        cut = data.rfind(b"&")
        if cut < 0 or len(data) - cut > 2 * self._LONGEST_REF:
            return data, b""
        while cut > 0:
            window = data[max(0, cut - self._LONGEST_REF) : cut]
            match = self._REF_AT_END.search(window)
            if match is None:
                break
            cut -= len(window) - match.start()
        return data[:cut], data[cut:]

    def _fill(self) -> None:
        while not self._ready and not self._eof:
            data = self._raw.read(self._chunk)
            if not data:
                self._eof = True
                data, self._carry = self._carry, b""
            else:
                data = self._carry + data
                data, self._carry = self._split_tail(data)
            if b"&#" in data:
                data = self._REF.sub(self._fix, data)
            self._ready = data

    def readinto(self, buffer) -> int:
        self._fill()
        n = min(len(buffer), len(self._ready))
        buffer[:n] = self._ready[:n]
        self._ready = self._ready[n:]
        return n


def sbr_rows(stream, tz: dt.tzinfo | None, *, origin: str = "backup") -> Iterator:
    """Calls of an SMS Backup & Restore calls-*.xml backup, streamed: each <call> element is
    read, turned into a Call and cleared, so memory stays flat at any size."""
    fixed = io.BufferedReader(_CharRefFixer(stream), buffer_size=1 << 16)
    root = None
    index = 0
    try:
        # Standard library only (no defusedxml): expat since 2.4.1 limits entity expansion
        # (billion laughs) and ElementTree never fetches external entities.
        for event, elem in ET.iterparse(fixed, events=("start", "end")):  # noqa: S314  # nosec B314
            if root is None:
                root = elem
                if elem.tag == "smses":
                    # A message backup: LeadTracker never reads SMS, not even to skip them.
                    raise SourceError(
                        f"{origin} is an SMS backup (<smses>); LeadTracker never reads messages. "
                        "Back up calls only (calls-*.xml)"
                    )
                if elem.tag != "calls":
                    raise SourceError(
                        f"{origin}: not an SMS Backup & Restore call backup (root <{elem.tag}>)"
                    )
                continue
            if event != "end" or elem.tag != "call":
                if event == "end" and elem is not root:
                    elem.clear()
                continue
            index += 1
            try:
                yield sbr_row(elem.attrib, tz)
            except RowError as exc:
                yield Problem(f"{origin} <call> #{index}", str(exc))
            # Drop the element and the root's reference to it: constant memory.
            elem.clear()
            root.clear()
    except ET.ParseError as exc:
        raise SourceError(f"{origin}: not well-formed XML ({exc})") from None
    if root is None:
        raise SourceError(f"{origin}: empty file")


def sbr_row(attrs: dict[str, str], tz: dt.tzinfo | None) -> Call:
    if "date" not in attrs:
        raise RowError("date: missing")
    epoch = _epoch_from_ms(attrs["date"])
    if "type" not in attrs:
        raise RowError("type: missing")
    call_type = _android_type(attrs["type"])
    duration = _duration(attrs.get("duration", "0") or "0")
    presentation = attrs.get("presentation")
    presentation = PRESENTATION_ALLOWED if not presentation else _int(presentation, "presentation", "1 to 5")
    number = (attrs.get("number") or "").strip()
    if presentation != PRESENTATION_ALLOWED or number.lower() == "null":
        number = ""
    return Call(
        device_call_id=derived_id(epoch, number, call_type, duration),
        number=number,
        country_iso=None,
        type=call_type,
        started_at=from_epoch(epoch, tz),
        duration_s=duration,
        sim=clean_sim(attrs.get("subscription_id")),
        contact_name=clean_name(attrs.get("contact_name"), unknown="(Unknown)"),
    )


# --- files -----------------------------------------------------------------------------------


def sniff_format(path: str) -> str:
    lowered = path.lower()
    if lowered.endswith(".xml"):
        return "sbr"
    if lowered.endswith(".json"):
        return "termux"
    with open(path, "rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "sbr"
    if head.startswith(b"["):
        return "termux"
    if head.startswith(b"Row:") or head.startswith(b"No result"):
        return "adb"
    raise SourceError(f"{path}: cannot tell the format; give --format termux, adb or sbr")


def read_file(path: str, fmt: str | None, tz: dt.tzinfo | None) -> Iterator:
    """Every row of a saved call log. ``path`` "-" is standard input."""
    import sys

    fmt = fmt or (None if path == "-" else sniff_format(path))
    if fmt not in FORMATS:
        raise SourceError(f"--format: give one of {', '.join(FORMATS)}")
    name = "standard input" if path == "-" else path
    try:
        if fmt == "sbr":
            fh = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
            try:
                yield from sbr_rows(fh, tz, origin=name)
            finally:
                if path != "-":
                    fh.close()
        elif fmt == "adb":
            fh = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
            try:
                yield from adb_rows(fh, tz, origin=name)
            finally:
                if path != "-":
                    fh.close()
        else:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
            yield from termux_rows(text, tz, origin=name)
    except FileNotFoundError:
        raise SourceError(f"{name}: no such file") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: not UTF-8 text ({exc.reason})") from None
    except IsADirectoryError:
        raise SourceError(f"{name}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{name}: not readable (permission denied)") from None
