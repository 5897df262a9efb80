"""What real phones emit besides the happy path: other scripts' digits, odd rows, unescaped
adb values, broken XML character references, SMS backups, huge backups."""

import io
import json
import tracemalloc
from contextlib import redirect_stderr, redirect_stdout

import pytest
from leadtracker_agent import extsort, readers
from leadtracker_agent.calls import Call, derived_id, resolve_tz
from leadtracker_agent.cli import main
from leadtracker_agent.privacy import Exclusions
from support import FIXTURES

KOLKATA = resolve_tz("Asia/Kolkata")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def calls_of(items):
    return [i for i in items if isinstance(i, Call)]


def problems_of(items):
    return [str(i) for i in items if isinstance(i, readers.Problem)]


def run_cli(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


# --- Termux ----------------------------------------------------------------------------------


def test_termux_digits_in_devanagari_read_the_same_and_keep_their_ids():
    rows = json.loads((FIXTURES / "termux-call-log.json").read_text())
    local = [
        {**r, "date": r["date"].translate(DEVANAGARI), "duration": r["duration"].translate(DEVANAGARI)}
        for r in rows
    ]
    plain = readers.termux_rows(json.dumps(rows), KOLKATA)
    hindi = readers.termux_rows(json.dumps(local, ensure_ascii=False), KOLKATA)
    assert [c.as_protocol() for c in hindi] == [c.as_protocol() for c in plain]
    # A number printed in Devanagari is sent as the phone has it (the server reads such
    # digits) but its id is the one of the same number in ASCII.
    number = readers.termux_row(
        {**rows[1], "phone_number": rows[1]["phone_number"].translate(DEVANAGARI)}, KOLKATA
    )
    assert number.number == "+९१ ९८४५० १२३४५"
    assert number.device_call_id == plain[1].device_call_id


def test_termux_bad_rows_are_reported_by_field_and_the_rest_are_read():
    rows = [
        {
            "name": "A",
            "phone_number": "98450 12345",
            "type": "INCOMING",
            "date": "2026-11-23 10:00:00",
            "duration": "00:10",
            "sim_id": "1",
        },
        {
            "name": "B",
            "phone_number": "1",
            "type": "INCOMING",
            "date": "23/11/2026 10:00",
            "duration": "00:10",
            "sim_id": "1",
        },
        {
            "name": "C",
            "phone_number": "1",
            "type": "CONFERENCE",
            "date": "2026-11-23 10:00:00",
            "duration": "00:10",
        },
        {
            "name": "D",
            "phone_number": "1",
            "type": "MISSED",
            "date": "2026-11-23 10:00:00",
            "duration": "ten",
        },
        {
            "name": "E",
            "phone_number": "1",
            "type": "MISSED",
            "date": "2026-02-30 10:00:00",
            "duration": "00:00",
        },
        "not a row",
        {
            "name": None,
            "phone_number": None,
            "type": "missed",
            "date": "2026-11-23 10:05",
            "duration": 7,
            "sim_id": None,
        },
    ]
    items = readers.termux_rows(json.dumps(rows), KOLKATA, origin="log.json")
    assert problems_of(items) == [
        "log.json row 2: date: '23/11/2026 10:00' is not YYYY-MM-DD HH:MM:SS",
        "log.json row 3: type: unknown call type 'CONFERENCE'",
        "log.json row 4: duration: 'ten' is not MM:SS, HH:MM:SS or seconds",
        "log.json row 5: date: '2026-02-30 10:00:00' is not a real date and time",
        "log.json row 6: not a JSON object",
    ]
    good = calls_of(items)
    assert [c.contact_name for c in good] == ["A", None]
    # Older Termux:API: plain seconds, no seconds in the date, lower-case type, null number.
    assert good[1].as_protocol() | {"device_call_id": None} == {
        "device_call_id": None,
        "number": "",
        "country_iso": None,
        "type": "missed",
        "started_at": "2026-11-23T10:05:00+05:30",
        "duration_s": 7,
        "sim": None,
        "contact_name": None,
    }


@pytest.mark.parametrize(
    ("output", "message", "permission"),
    [
        ("", "printed nothing", True),
        ('{"error": "Call log permission not granted"}', "Call log permission not granted", True),
        ("<html>", "not the JSON termux-call-log prints", False),
        ('{"calls": []}', "expected a JSON array", False),
    ],
)
def test_termux_output_that_is_not_a_call_log_is_a_source_error(output, message, permission):
    with pytest.raises(readers.SourceError) as caught:
        readers.termux_rows(output, KOLKATA)
    assert message in str(caught.value)
    assert caught.value.permission is permission


def test_termux_empty_log_is_no_calls():
    assert readers.termux_rows("[]\n", KOLKATA) == []


def test_derived_id_depends_on_what_never_changes():
    base = derived_id(1795407521, "+91 98765 43210", "missed", 0)
    assert base == derived_id(1795407521, "+919876543210", "missed", 0)  # spacing is not identity
    assert base == derived_id(1795407521, "+९१९८७६५४३२१०", "missed", 0)  # nor the script
    assert base != derived_id(1795407522, "+919876543210", "missed", 0)
    assert base != derived_id(1795407521, "+919876543210", "rejected", 0)
    assert base != derived_id(1795407521, "+919876543210", "missed", 1)
    assert len(base) <= 64  # the server's limit


# --- adb -------------------------------------------------------------------------------------


def test_adb_unescaped_values_nulls_line_breaks_and_crlf():
    text = (
        "Row: 0 _id=1, number=98450 12345, date=1795407521123, duration=5, type=1, presentation=1, "
        "subscription_id=NULL, countryiso=, name=Raj, type=VIP, countryiso=IN\r\n"
        "Row: 1 _id=2, number=-2, date=1795407600000, duration=0, type=3, presentation=2, "
        "subscription_id=89910000000000001234, countryiso=in, name=Two\r\n"
        "Line, of a name\r\n"
        "Row: 2 _id=3, number=123, date=1795407700000, duration=0, type=9, presentation=1, name=NULL\r\n"
        "Row: 3 _id=4, number=123, duration=0, type=1, presentation=1, name=NULL\r\n"
    )
    items = list(readers.adb_rows(io.StringIO(text), KOLKATA, origin="saved.txt"))
    assert problems_of(items) == [
        "saved.txt row 2: type: unknown call type code 9 (known: 1 to 7)",
        "saved.txt row 3: date: missing (add date to --projection)",
    ]
    first, second = calls_of(items)
    assert first.as_protocol() == {
        "device_call_id": "1",
        "number": "98450 12345",
        "country_iso": None,
        "type": "incoming",
        "started_at": "2026-11-23T09:48:41+05:30",  # milliseconds cut: the server keys on the second
        "duration_s": 5,
        "sim": None,
        # "type" and "countryiso" were seen already, so their second "=" belongs to the name.
        "contact_name": "Raj, type=VIP, countryiso=IN",
    }
    assert second.number == ""  # presentation 2: withheld, whatever the column says
    assert second.country_iso == "IN"
    assert second.sim == "89910000000000001234"  # an ICCID as the phone names the SIM, kept whole
    assert second.contact_name == "Two\nLine, of a name"


def test_adb_no_result_and_errors():
    assert list(readers.adb_rows(io.StringIO("No result found.\n"), KOLKATA)) == []
    with pytest.raises(readers.SourceError) as caught:
        list(
            readers.adb_rows(
                io.StringIO(
                    "Error while accessing provider:call_log\n"
                    "java.lang.SecurityException: Permission Denial: opening provider\n"
                ),
                KOLKATA,
            )
        )
    assert caught.value.permission is True
    with pytest.raises(readers.SourceError, match="not `content query` output"):
        list(readers.adb_rows(io.StringIO("hello\n"), KOLKATA))


def test_adb_row_without_id_gets_a_derived_one():
    values = readers.split_adb_row("number=9876543210, date=1795407521000, duration=0, type=3")
    call = readers.adb_row(values, KOLKATA)
    assert call.device_call_id == derived_id(1795407521, "9876543210", "missed", 0)


# --- SMS Backup & Restore ----------------------------------------------------------------------

SBR_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"3\">\n"


def sbr(*calls: str) -> io.BytesIO:
    return io.BytesIO((SBR_HEAD + "\n".join(calls) + "\n</calls>\n").encode())


def test_sbr_emoji_written_as_surrogate_references_and_other_forbidden_references():
    stream = sbr(
        '<call number="1" duration="0" date="1795407521000" type="3" '
        'contact_name="Ravi &#55357;&#56832; Kumar" extra_attribute="ignored" />',
        '<call number="2" duration="0" date="1795407522000" type="3" contact_name="A&#55357;B&#1;C" />',
        '<call number="3" duration="0" date="1795407523000" type="3" contact_name="(Unknown)" />',
    )
    items = list(readers.sbr_rows(stream, KOLKATA))
    assert [c.contact_name for c in items] == ["Ravi \U0001f600 Kumar", "A\ufffdB\ufffdC", None]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 8, 9, 16, 17, 63, 64, 65, 1000])
def test_sbr_reference_fixer_is_right_across_any_chunk_boundary(chunk):
    text = b'<a n="&#55357;&#56832;&amp;&#x1F600;&#56832;&#55357;x&#9;" />' * 5
    whole = readers._CharRefFixer(io.BytesIO(text), chunk=1 << 20).read()
    assert readers._CharRefFixer(io.BytesIO(text), chunk=chunk).read() == whole
    assert whole.count(b"&#128512;") == 10


def test_sbr_bad_rows_are_reported_and_smses_are_never_read():
    items = list(
        readers.sbr_rows(
            sbr(
                '<call number="1" duration="0" date="1795407521000" type="3" />',
                '<call number="1" duration="0" date="yesterday" type="3" />',
                '<call number="1" duration="-4" date="1795407521000" type="1" />',
                '<call number="1" duration="0" date="1795407521000" type="100" />',
            ),
            KOLKATA,
            origin="calls.xml",
        )
    )
    assert problems_of(items) == [
        "calls.xml <call> #2: date: 'yesterday' is not milliseconds since the epoch",
        "calls.xml <call> #3: duration: -4 is negative",
        "calls.xml <call> #4: type: unknown call type code 100 (known: 1 to 7)",
    ]
    assert len(calls_of(items)) == 1
    sms = io.BytesIO(b'<?xml version="1.0"?><smses count="1"><sms address="1" body="secret" /></smses>')
    with pytest.raises(readers.SourceError, match="never reads messages"):
        list(readers.sbr_rows(sms, KOLKATA))
    with pytest.raises(readers.SourceError, match="not well-formed XML"):
        list(readers.sbr_rows(io.BytesIO(SBR_HEAD.encode() + b'<call number="1" '), KOLKATA))


def synthetic_sbr(path, count: int, *, newest_first: bool = False):
    base = 1795407521000
    order = range(count - 1, -1, -1) if newest_first else range(count)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SBR_HEAD)
        for i in order:
            fh.write(
                f'  <call number="+9198{i:08d}" duration="{i % 600}" date="{base + i * 7000}" '
                f'type="{1 + i % 7}" presentation="1" subscription_id="1" readable_date="x" '
                f'contact_name="Lead {i}" />\n'
            )
        fh.write("</calls>\n")


def test_sbr_newest_first_backup_prints_oldest_first(tmp_path, monkeypatch):
    path = tmp_path / "calls-newest-first.xml"
    synthetic_sbr(path, 50, newest_first=True)
    # Small sorted runs, so the merge of spilled runs is what is tested.
    monkeypatch.setattr(extsort, "RUN", 7)
    monkeypatch.setattr(extsort.sorted_lines, "__defaults__", (7,))
    status, out, err = run_cli("parse", str(path), "--tz", "UTC")
    assert status == 0, err
    started = [json.loads(line)["started_at"] for line in out.splitlines()]
    assert len(started) == 50
    assert started == sorted(started)


def test_sbr_streaming_keeps_memory_flat(tmp_path):
    path = tmp_path / "calls-big.xml"
    synthetic_sbr(path, 20_000)
    tracemalloc.start()
    try:
        count = sum(1 for _ in readers.read_file(str(path), "sbr", KOLKATA))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    # Kept whole, 20,000 calls would take tens of MB; streamed, the peak is the parser's buffers.
    assert peak < 4 * 1024 * 1024, peak


# --- the parse command -------------------------------------------------------------------------


def test_parse_errors_name_the_problem(tmp_path):
    status, out, err = run_cli("parse", str(tmp_path / "missing.xml"))
    assert (status, out) == (2, "")
    assert "missing.xml: no such file" in err
    status, _, err = run_cli("parse", "-")
    assert status == 2 and "--format: needed when reading standard input" in err
    status, _, err = run_cli("parse", str(FIXTURES / "sbr-calls.xml"), "--tz", "Mars/Base")
    assert status == 2 and "--tz: unknown time zone 'Mars/Base'" in err
    odd = tmp_path / "odd.txt"
    odd.write_text("hello")
    status, _, err = run_cli("parse", str(odd))
    assert status == 2 and "cannot tell the format" in err


def test_parse_guesses_the_format_and_reports_skipped_rows(tmp_path):
    saved = tmp_path / "adb-output"
    saved.write_text(
        (FIXTURES / "adb-content-query.txt").read_text() + "Row: 7 _id=9, date=1, duration=0, type=0\n"
    )
    status, out, err = run_cli("parse", str(saved), "--tz", "Asia/Kolkata")
    assert status == 0
    assert len(out.splitlines()) == 7
    assert "skipped" in err and "type: unknown call type code 0" in err


# --- the exclusion list ------------------------------------------------------------------------


def test_exclusions_match_any_way_a_number_is_written():
    excluded = Exclusions(["+91 98765 43210", "121"])
    for same in ("+919876543210", "09876543210", "9876543210", "98765-43210", "+९१ ९८७६५ ४३२१०"):
        assert same in excluded
    for other in ("9876543211", "", None, "1210", "+9112"):
        assert other not in excluded
    assert "121" in excluded


def test_adb_empty_or_null_duration_is_zero_and_a_missing_column_is_named():
    text = (
        "Row: 0 _id=1, number=98450 12345, date=1795407521000, duration=, type=3, presentation=1\n"
        "Row: 1 _id=2, number=98450 12345, date=1795407600000, duration=NULL, type=5, presentation=1\n"
        "Row: 2 _id=3, number=98450 12345, date=1795407700000, type=3, presentation=1\n"
        "Row: 3 _id=4, number=98450 12345, date=NULL, duration=0, type=3, presentation=1\n"
    )
    items = list(readers.adb_rows(io.StringIO(text), KOLKATA, origin="saved.txt"))
    # A missed or rejected call has no duration; some phones leave the column empty or NULL.
    assert [(c.device_call_id, c.duration_s) for c in calls_of(items)] == [("1", 0), ("2", 0)]
    assert problems_of(items) == [
        "saved.txt row 2: duration: missing (add duration to --projection)",
        "saved.txt row 3: date: NULL (the phone recorded no time for this call)",
    ]
