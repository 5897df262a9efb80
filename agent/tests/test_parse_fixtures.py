"""The three real-format samples parse exactly: every field of every call, through the readers
and through `leadtracker-agent parse` (JSON lines, oldest first)."""

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest
from leadtracker_agent import readers
from leadtracker_agent.calls import Call, resolve_tz
from leadtracker_agent.cli import main
from support import FIXTURES, SHARED_FIXTURES

KOLKATA = resolve_tz("Asia/Kolkata")

# The derived ids (h-…) must never change between agent versions: a new version re-reading the
# same rows inside the 24 h overlap would otherwise send every one of them again.
TERMUX = [
    ("h-a7a197ad7f856d4dc3a86659", "09876543210", None, "missed", "2026-11-23T09:58:41+05:30", 0, "1", None),
    (
        "h-265394b735dc9955cbaeb376",
        "+91 98450 12345",
        None,
        "outgoing",
        "2026-11-23T10:04:10+05:30",
        207,
        "1",
        "Priya Nair",
    ),
    (
        "h-9cd57bccd2f2406e618a84fc",
        "9876543210",
        None,
        "outgoing",
        "2026-11-23T10:12:55+05:30",
        0,
        None,
        None,
    ),
    (
        "h-3f8cc9cb0e03ab2d69c148ec",
        "080 2345 6789",
        None,
        "incoming",
        "2026-11-23T11:30:02+05:30",
        3725,
        "2",
        "Anil Builders",
    ),
    ("h-3ae7a1fe0c6de22196d93ca3", "", None, "rejected", "2026-11-23T12:01:19+05:30", 0, "1", None),
    (
        "h-a14e0d136964ae93fca26213",
        "1800-180-1551",
        None,
        "incoming",
        "2026-11-23T12:45:00+05:30",
        41,
        "1",
        "Bank",
    ),
    (
        "h-f1e19e2187caa4c2d975f287",
        "+14155552671",
        None,
        "answered_externally",
        "2026-11-23T13:20:33+05:30",
        130,
        "1",
        None,
    ),
    (
        "h-81cda61719a15b6ecc188a7c",
        "+917000000001",
        None,
        "blocked",
        "2026-11-23T21:15:00+05:30",
        0,
        "1",
        "Spam",
    ),
]
ADB = [
    ("1201", "9876543210", "IN", "missed", "2026-11-23T09:48:41+05:30", 0, "1", None),
    ("1202", "+919845012345", "IN", "outgoing", "2026-11-23T10:04:10+05:30", 207, "1", "Priya Nair"),
    ("1203", "", "IN", "rejected", "2026-11-23T10:31:19+05:30", 0, "1", None),
    (
        "1204",
        "08023456789",
        "IN",
        "incoming",
        "2026-11-23T11:20:02+05:30",
        3725,
        "2",
        "Anil Builders, Whitefield",
    ),
    ("1205", "+919876543210", "IN", "outgoing", "2026-11-23T12:15:01+05:30", 95, "1", None),
    ("1206", "+14155552671", "US", "answered_externally", "2026-11-23T12:50:33+05:30", 130, "1", None),
    ("1207", "+917000000001", "IN", "blocked", "2026-11-23T21:15:00+05:30", 0, "1", None),
]
SBR = [
    ("h-ae93f04115a63b2e7daff719", "9876543210", None, "missed", "2026-11-23T09:48:41+05:30", 0, "1", None),
    (
        "h-265394b735dc9955cbaeb376",
        "+919845012345",
        None,
        "outgoing",
        "2026-11-23T10:04:10+05:30",
        207,
        "1",
        "Priya Nair",
    ),
    ("h-c010af230617f31c6d178813", "", None, "rejected", "2026-11-23T10:31:19+05:30", 0, "1", None),
    (
        "h-5e0a9190d78a5bb94c8f91f7",
        "08023456789",
        None,
        "incoming",
        "2026-11-23T11:20:02+05:30",
        3725,
        "2",
        "Anil Builders & Sons",
    ),
    (
        "h-611f3d6bfa02cdb460cac1cf",
        "+919876543210",
        None,
        "outgoing",
        "2026-11-23T12:15:01+05:30",
        95,
        None,
        None,
    ),
    (
        "h-81cda61719a15b6ecc188a7c",
        "+917000000001",
        None,
        "blocked",
        "2026-11-23T21:15:00+05:30",
        0,
        "1",
        None,
    ),
]
KEYS = ("device_call_id", "number", "country_iso", "type", "started_at", "duration_s", "sim", "contact_name")
CASES = [
    ("termux-call-log.json", "termux", TERMUX),
    ("adb-content-query.txt", "adb", ADB),
    ("sbr-calls.xml", "sbr", SBR),
]
# The copies kept with the tests (CI has no workspace), and the shared originals where present.
DIRECTORIES = [FIXTURES] + ([SHARED_FIXTURES] if SHARED_FIXTURES.is_dir() else [])


def expected_dicts(rows):
    return [dict(zip(KEYS, row, strict=True)) for row in rows]


@pytest.mark.parametrize("directory", DIRECTORIES, ids=lambda d: d.parent.parent.name)
@pytest.mark.parametrize(("name", "fmt", "rows"), CASES, ids=[c[1] for c in CASES])
def test_reader_reads_every_field_of_every_call(directory, name, fmt, rows):
    items = list(readers.read_file(str(directory / name), fmt, KOLKATA))
    assert all(isinstance(item, Call) for item in items), [str(i) for i in items if not isinstance(i, Call)]
    assert [item.as_protocol() for item in items] == expected_dicts(rows)


@pytest.mark.parametrize(("name", "fmt", "rows"), CASES, ids=[c[1] for c in CASES])
def test_parse_command_prints_protocol_json_lines_oldest_first(name, fmt, rows):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["parse", str(FIXTURES / name), "--format", fmt, "--tz", "Asia/Kolkata"])
    assert status == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == expected_dicts(rows)
    # Every key of the protocol's CALL, in its order, nothing else.
    assert all(list(json.loads(line)) == list(KEYS) for line in lines)
    assert err.getvalue() == ""


def test_copies_match_the_shared_samples():
    if not SHARED_FIXTURES.is_dir():
        return  # CI has only the copies
    for name, _, _ in CASES:
        assert (FIXTURES / name).read_bytes() == (SHARED_FIXTURES / name).read_bytes()


def test_the_same_call_from_termux_and_a_backup_gets_the_same_id():
    # Priya's call is in both samples; the id is built from the instant and the digits, so
    # the two sources agree (the server would merge them by number and second anyway).
    assert TERMUX[1][0] == SBR[1][0]
    assert TERMUX[7][0] == SBR[5][0]


def test_tz_places_termux_local_times_and_shows_epoch_sources_in_that_zone():
    utc = resolve_tz("UTC")
    termux = list(readers.read_file(str(FIXTURES / "termux-call-log.json"), "termux", utc))
    assert termux[0].started_at.isoformat() == "2026-11-23T09:58:41+00:00"
    # Read in another zone the instant moves, so the derived id does too (it is the instant).
    assert termux[0].device_call_id != TERMUX[0][0]
    adb = list(readers.read_file(str(FIXTURES / "adb-content-query.txt"), "adb", utc))
    assert adb[0].started_at.isoformat() == "2026-11-23T04:18:41+00:00"
    offset = list(readers.read_file(str(FIXTURES / "adb-content-query.txt"), "adb", resolve_tz("+05:30")))
    assert offset[0].started_at.isoformat() == "2026-11-23T09:48:41+05:30"
    assert [c.epoch for c in offset] == [c.epoch for c in adb]
