"""One call in the sync protocol's shape, and what every reader shares: digits in other
scripts, time zones, stable ids for sources without a row id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import time
import zoneinfo

# The protocol's call types (sync-protocol.md, CALL.type).
TYPES = ("incoming", "outgoing", "missed", "rejected", "blocked", "voicemail", "answered_externally")

# Android's CallLog.Calls.TYPE codes, used by adb and SMS Backup & Restore alike.
ANDROID_TYPES = {
    1: "incoming",
    2: "outgoing",
    3: "missed",
    4: "voicemail",
    5: "rejected",
    6: "blocked",
    7: "answered_externally",
}

# CallLog.Calls.PRESENTATION: 1 allowed; 2 restricted, 3 unknown, 4 payphone, 5 unavailable.
# For anything but 1 the number column holds no real caller number (empty, "-1", "-2" …), so
# the call is sent as withheld: "" (protocol: number "" when withheld/unknown).
PRESENTATION_ALLOWED = 1

# The server's column limits (calls/api.py CallIn). A longer value would get the whole row
# rejected and the call lost over a label, so the agent trims labels before queueing.
SIM_MAX = 64
NAME_MAX = 200

# Phones set to some Indian languages print digits in their own script (Termux:API formats
# dates and durations with the phone's locale). Zeros of each decimal-digit block we expect.
_ZEROS = (
    0x0660,  # Arabic-Indic
    0x06F0,  # Extended Arabic-Indic (Urdu)
    0x0966,  # Devanagari (Hindi, Marathi, Nepali)
    0x09E6,  # Bengali, Assamese
    0x0A66,  # Gurmukhi
    0x0AE6,  # Gujarati
    0x0B66,  # Oriya
    0x0BE6,  # Tamil
    0x0C66,  # Telugu
    0x0CE6,  # Kannada
    0x0D66,  # Malayalam
    0x1C50,  # Ol Chiki (Santali)
    0xABF0,  # Meetei Mayek (Manipuri)
    0xFF10,  # fullwidth
)
_DIGITS = {zero + i: str(i) for zero in _ZEROS for i in range(10)}


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


class RowError(ValueError):
    """One source row that cannot be read; the message names the field and the reason."""


@dataclasses.dataclass(slots=True, frozen=True)
class Call:
    device_call_id: str
    number: str
    country_iso: str | None
    type: str
    started_at: dt.datetime  # aware, whole seconds
    duration_s: int
    sim: str | None
    contact_name: str | None

    @property
    def epoch(self) -> int:
        return int(self.started_at.timestamp())

    def as_protocol(self) -> dict:
        """The protocol's CALL, every key present (null where the source has nothing)."""
        return {
            "device_call_id": self.device_call_id,
            "number": self.number,
            "country_iso": self.country_iso,
            "type": self.type,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "duration_s": self.duration_s,
            "sim": self.sim,
            "contact_name": self.contact_name,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_protocol(), ensure_ascii=False, separators=(",", ":"))


def derived_id(epoch_s: int, number: str, call_type: str, duration_s: int) -> str:
    """A stable device_call_id for sources without a row id (Termux:API, SMS Backup & Restore).

    Built only from what never changes once the row is written: the start second (as an
    instant, so neither the phone's zone nor its language changes it), the number's digits,
    the type and the duration. Not the contact name (saving the contact changes it) nor the
    SIM label. Two reads of one row, today or after an agent upgrade, give the same id:
    never change this recipe, or every call in the 24 h overlap is sent again.
    """
    digits = "".join(ch for ch in ascii_digits(number) if ch.isdigit() or ch == "+")
    key = f"{epoch_s}|{digits}|{call_type}|{duration_s}"
    return "h-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def clean_sim(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.lower() in ("", "-1", "null"):
        return None
    # Some phones name the SIM by its ICCID or a subscription id of 20 characters, which the
    # server keeps (up to 64); anything longer is trimmed to its tail, which tells SIMs apart.
    return text[-SIM_MAX:]


def clean_name(value, *, unknown: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text or text == unknown:
        return None
    return text[:NAME_MAX]


def clean_country(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper()
    # The server rejects the row for anything but two letters; a missing country only means
    # the organisation's default region is used.
    return text if len(text) == 2 and text.isascii() and text.isalpha() else None


# --- time zones ----------------------------------------------------------------------------

_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$")


class TimeZoneError(ValueError):
    pass


def resolve_tz(name: str | None) -> dt.tzinfo | None:
    """``--tz``: an IANA name (Asia/Kolkata), UTC, or a fixed offset (+05:30). None: the
    machine's own zone, applied per instant (it may change with daylight saving)."""
    if name is None or name == "" or name.lower() == "local":
        return None
    if name.upper() in ("UTC", "Z", "GMT"):
        return dt.UTC
    match = _OFFSET.match(name.strip())
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise TimeZoneError(f"--tz: {name!r} is not a valid UTC offset")
        delta = dt.timedelta(hours=hours, minutes=minutes)
        return dt.timezone(-delta if sign == "-" else delta)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise TimeZoneError(
            f"--tz: unknown time zone {name!r}; give an IANA name such as Asia/Kolkata "
            "(on Termux: pkg install tzdata) or an offset such as +05:30"
        ) from None


def from_epoch(epoch_s: int, tz: dt.tzinfo | None) -> dt.datetime:
    if tz is None:
        return dt.datetime.fromtimestamp(epoch_s).astimezone()
    return dt.datetime.fromtimestamp(epoch_s, tz)


def from_local(naive: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A wall-clock time the phone printed without an offset, placed in its zone.

    In the hour that repeats when daylight saving time ends, a wall-clock time is two instants
    and the row says nothing of which: fold=0 (the default) takes the first, always the same one,
    so the derived id of the row stays stable from read to read. A call in the second pass is
    read an hour early (docs/agent.md says so; India, the main market, has no DST)."""
    if tz is None:
        # astimezone() on a naive time asks the C library, which knows the machine's rules.
        return naive.astimezone()
    return naive.replace(tzinfo=tz)


def iso(epoch_s: float) -> str:
    return dt.datetime.fromtimestamp(epoch_s, dt.UTC).isoformat(timespec="seconds")


def parse_when(text: str, *, now: float | None = None, tz: dt.tzinfo | None = None) -> float:
    """``--at``: RFC 3339 with an offset, or HH:MM (today, in the phone's zone)."""
    raw = ascii_digits(text.strip())
    hhmm = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
    if hhmm:
        now = time.time() if now is None else now
        today = from_epoch(int(now), tz)
        try:
            moment = today.replace(hour=int(hhmm.group(1)), minute=int(hhmm.group(2)), second=0)
        except ValueError:
            raise ValueError(f"--at: {text!r} is not a time of day") from None
        return moment.timestamp()
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"--at: {text!r} is neither HH:MM nor an RFC 3339 time") from None
    if moment.tzinfo is None:
        raise ValueError(f"--at: {text!r} has no offset; write it like 2026-11-24T09:30:00+05:30")
    return moment.timestamp()
