"""Reading the spreadsheets people bring: CSV in any common encoding and delimiter, and XLSX,
row by row (constant memory), the header row found among the first rows (its columns are
mapped to lead fields in mapping.py)."""

import codecs
import collections
import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext as _

from leadtracker.leads.imports.mapping import guess_mapping

SAMPLE_BYTES = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    pass


class BrokenLine:
    """A record the reader could not read (an unclosed quote, a huge cell): reported as that
    row's error, at the physical line it starts on (`row`), while the reading goes on."""

    def __init__(self, message: str, row: int = 0):
        self.message = message
        self.row = row

    def __repr__(self):
        return f"BrokenLine({self.message!r}, row={self.row})"


# A notes cell may be long, but not unbounded.
csv.field_size_limit(1024 * 1024)
MAX_BROKEN_IN_A_ROW = 1000
# A quoted cell may run across lines (an address, a note typed with Enter), but a record of
# more lines or characters than this is a quote left open, not a note: the record is reported
# broken and the reading starts again at its second line, so the rows it swallowed still come.
MAX_RECORD_LINES = 20
MAX_RECORD_CHARS = 64 * 1024
# Exports put a title, a date or a blank line above the header; it is looked for this far down.
HEADER_SEARCH_ROWS = 10


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list]  # data rows, each a list of cell values, or a BrokenLine
    progress: callable  # () -> fraction of the file read so far
    encoding: str = ""
    delimiter: str = ""
    close: callable = lambda: None
    # () -> the row a person sees for the item `rows` yielded last: the 1-based physical line
    # its record starts on (CSV, as a text editor numbers it) or the sheet's row (XLSX).
    row_number: callable = lambda: 0
    header_row: int = 1  # the (last) line of the header; lines above it are titles, skipped


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    if len(sample) >= 4 and sample[1] == 0 and sample[3] == 0:
        return "utf-16-le"  # UTF-16 without its BOM
    try:
        # The sample may end inside a multi-byte character: ignore up to 3 trailing bytes.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"  # what Excel on Windows writes for "CSV" in English locales


def detect_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        # The sniffer wants most lines alike; a title above a short sheet defeats it. The
        # delimiter is then the one most lines hold (a title holds none), the most of it next.
        def spread(d):
            return sum(1 for line in lines if d in line), sum(line.count(d) for line in lines)

        best = max(",;\t|", key=spread)
        return best if spread(best)[0] else ","


class _CsvRecords:
    """(first physical line, cells or BrokenLine) for each non-blank record of a CSV text.

    csv.reader is fed from a generator that holds the current record's physical lines, so a
    record that runs on too long (a stray quote at the start of a cell) is stopped after
    MAX_RECORD_LINES lines or MAX_RECORD_CHARS characters, reported at its first line, and its
    other lines read again as records of their own. The parsing stays csv's C code; Python
    touches each line once."""

    def __init__(self, text, delimiter: str):
        self.text = text
        self.delimiter = delimiter
        # Cell counts a record of several lines may have: the header's (once it is known) and
        # the last one-line row's. A quote opened by mistake and closed by another one lines
        # later leaves a record of another count.
        self.header_width = None
        self.last_width = None

    def __iter__(self):
        record = []  # the physical lines of the record being read
        pending = collections.deque()  # lines to read again after a broken record
        at_end = False
        limit_lines, limit_chars = MAX_RECORD_LINES, MAX_RECORD_CHARS

        def lines():
            nonlocal at_end
            while pending:
                line = pending.popleft()
                record.append(line)
                if len(record) > 1 and (len(record) > limit_lines or sum(map(len, record)) > limit_chars):
                    raise _RunAway
                yield line
            for line in self.text:
                if "\x00" in line:
                    line = _text(line)
                record.append(line)
                if len(record) > 1 and (len(record) > limit_lines or sum(map(len, record)) > limit_chars):
                    raise _RunAway
                yield line
            at_end = True

        reader = csv.reader(lines(), delimiter=self.delimiter)
        before = 0  # physical lines before the current record
        broken_in_a_row = 0
        while True:
            at_end = False
            problem = None
            try:
                cells = next(reader)
            except StopIteration:
                return
            except _RunAway:
                problem = _run_away(record)
            except csv.Error as exc:
                problem = _("unreadable line: %s") % exc
            else:
                if at_end:
                    # The last line left a quote open (a complete record never reads past its
                    # last line): the cell holds the rest of the file, not a value.
                    problem = (
                        _("unclosed quote (the row runs across %(n)s lines to the end of the file)")
                        % {"n": len(record)}
                        if len(record) > 1
                        else _("unclosed quote (the row runs to the end of the file)")
                    )
                elif len(record) > 1:
                    problem = self._multi_line_problem(cells, record)
            if problem is None:
                start = before + 1
                before += len(record)
                single = len(record) == 1
                record.clear()
                if "".join(cells).strip():
                    broken_in_a_row = 0
                    if single:
                        self.last_width = len(cells)
                    yield start, cells
                continue
            broken_in_a_row += 1
            if broken_in_a_row > MAX_BROKEN_IN_A_ROW:
                raise UnreadableFile(_("too many unreadable lines in a row (%s)") % problem)
            before += 1
            yield before, BrokenLine(problem, before)
            if len(record) > 1:
                # Its other lines are read again (ahead of what is still pending); the reader
                # starts afresh, as the generator it read from ended with the exception.
                pending.extendleft(reversed(record[1:]))
                record.clear()
                reader = csv.reader(lines(), delimiter=self.delimiter)
            else:
                record.clear()

    def _multi_line_problem(self, cells, record) -> str | None:
        # While the header is still being looked for, the last one-line row (the header itself,
        # usually) gives the width.
        expected = self.header_width or self.last_width
        if expected is not None and len(cells) not in (self.header_width, self.last_width):
            return _(
                "unclosed quote (the row runs across %(n)s lines and has %(cells)s cells, not %(expected)s)"
            ) % {
                "n": len(record),
                "cells": len(cells),
                "expected": expected,
            }
        # A quote that closes a cell must end it: `"Lead 40,…` closed by the `"` of a later
        # `"Lead 45,…` is two mistakes, not a note. Only multi-line records pay for this check.
        try:
            again = list(csv.reader(record, delimiter=self.delimiter, strict=True))
        except csv.Error:
            again = None
        if again != [cells]:
            return _("unclosed quote (the row runs across %(n)s lines)") % {"n": len(record)}
        return None


class _RunAway(Exception):
    pass


def _run_away(record) -> str:
    if len(record) > MAX_RECORD_LINES:
        return _("unclosed quote (the row runs across more than %(n)s lines)") % {"n": MAX_RECORD_LINES}
    kilobytes = MAX_RECORD_CHARS // 1024
    return _("unclosed quote (the row runs across %(n)s lines and more than %(kb)s KB)") % {
        "n": len(record),
        "kb": kilobytes,
    }


def open_csv(path: str) -> Table:
    raw = open(path, "rb")  # noqa: SIM115 — closed by Table.close
    try:
        size = max(1, _size(raw))
        sample = raw.read(SAMPLE_BYTES)
        raw.seek(0)
        encoding = detect_encoding(sample)
        text_sample = sample.decode(encoding, errors="ignore")
        delimiter = detect_delimiter(text_sample.lstrip("\ufeff"))
        # errors="replace": one bad byte in row 40,000 becomes "�" there instead of stopping the file.
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        records = _CsvRecords(text, delimiter)
        stream = iter(records)
        found = _find_header(stream, lambda cells: [_text(c.lstrip("\ufeff")).strip() for c in cells])
    except BaseException:
        raw.close()
        raise
    records.header_width = len(found.headers)
    current = [found.header_row]

    def rows():
        for number, cells in itertools.chain(found.after, stream):
            current[0] = number
            yield cells

    return Table(
        headers=found.headers,
        rows=rows(),
        progress=lambda: min(1.0, raw.tell() / size),
        encoding=encoding,
        delimiter=delimiter,
        close=raw.close,
        row_number=lambda: current[0],
        header_row=found.header_row,
    )


# --- finding the header ---------------------------------------------------------------------

# A header names at least one of these, or it is not the header of a list of leads.
_IDENTITY_FIELDS = {"name", "first_name", "last_name", "company", "phone", "email"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
_PHONE_LIKE = re.compile(r"[\d\s+().\-/]+")


@dataclass
class _Header:
    headers: list[str]
    header_row: int
    after: list  # (number, cells) read while looking, that come after the header


def _find_header(stream, clean, empty: str = "") -> _Header:
    """The header is the row, among the first HEADER_SEARCH_ROWS non-blank ones, that maps the
    most columns to lead fields (one of them a name, number or e-mail), holds no e-mail address
    or phone number and comes before the data (the first row holding one after a header-like
    row); else the first row. A row next to it that
    fills its empty cells with more fields is its other half (a two-row header, merged cells)."""
    seen = list(itertools.islice(stream, HEADER_SEARCH_ROWS))
    if not seen:
        raise UnreadableFile(empty or _("the file is empty"))
    readable = [(i, n, clean(cells)) for i, (n, cells) in enumerate(seen) if isinstance(cells, list)]
    if not readable:
        raise UnreadableFile(_("its first lines cannot be read (%s)") % seen[0][1].message)
    best, best_score = readable[0], 0
    for candidate in readable:
        if _looks_like_data(candidate[2]):
            if best_score:
                break  # the data has begun
            continue  # a title naming an e-mail address, or a sheet with no header
        score = _header_score(candidate[2])
        if score > best_score:
            best, best_score = candidate, score
    index, number, headers = best
    first, last = index, index
    neighbours = {r[0]: r for r in readable}
    above, below = neighbours.get(index - 1), neighbours.get(index + 1)
    if best_score and _other_half(above, number - 1):
        joined = _join_header_rows(above[2], headers)
        if _header_score(joined) > best_score:
            headers, best_score, first = joined, _header_score(joined), index - 1
    if first == index and best_score and _other_half(below, number + 1):
        joined = _join_header_rows(headers, below[2])
        if _header_score(joined) > best_score:
            headers, last, number = joined, index + 1, below[1]
    return _Header(headers=headers, header_row=number, after=seen[last + 1 :])


def _other_half(candidate, number: int) -> bool:
    """Whether a row may be the other half of a two-row header: right next to it, holding no
    data, and naming two columns or more. A title ("Email leads", merged across the top) names
    one, and must not give its words to the header's unnamed first column."""
    if candidate is None or candidate[1] != number or _looks_like_data(candidate[2]):
        return False
    return sum(1 for cell in candidate[2] if cell) >= 2


def _header_score(cells: list[str]) -> int:
    fields = guess_mapping(cells).values()
    return len(fields) if _IDENTITY_FIELDS.intersection(fields) else 0


def _looks_like_data(cells: list[str]) -> bool:
    for cell in cells:
        if "@" in cell and _EMAIL.search(cell):
            return True
        if _PHONE_LIKE.fullmatch(cell) and sum(ch.isdigit() for ch in cell) >= 10:
            return True
    return False


def _join_header_rows(upper: list[str], lower: list[str]) -> list[str]:
    """Each column's name from a header of two rows: the lower cell ("Phone" under a merged
    "Contact"), else the upper one ("Name" merged down over both rows). A merged cell gives its
    value to its first column only (openpyxl leaves the others empty), and so does this: a
    column with nothing of its own in either row stays unnamed, never a copy of its neighbour,
    which would map it to a field it does not hold."""
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    return [low or up for up, low in zip(upper, lower, strict=True)]


def check_zip(path: str, *, max_unpacked: int, max_ratio: int) -> None:
    """Refuse a zip bomb before anything inflates it: the members' declared sizes (which
    zipfile also holds them to while reading) must stay under a total and a compression ratio."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(_("not a readable XLSX file: it is damaged or cut short (%s)") % exc) from None
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise UnreadableFile(
            _(
                "a zip archive, not an XLSX workbook (an .xlsx file is a zip with a workbook inside; "
                "this one has none): save the sheet as .xlsx or .csv"
            )
        )
    total = 0
    for member in members:
        total += member.file_size
        # Small members may compress extremely (empty styles); only sizable ones can hurt.
        if member.file_size > 1024 * 1024 and member.file_size > max_ratio * max(1, member.compress_size):
            ratio = member.file_size // max(1, member.compress_size)
            raise UnreadableFile(
                _(
                    "%(name)s inside it is compressed %(ratio)s times (more than %(max)s); "
                    "refused as a possible zip bomb"
                )
                % {"name": member.filename, "ratio": ratio, "max": max_ratio}
            )
    if total > max_unpacked:
        raise UnreadableFile(
            _("it would unpack to %(mb)s MB, more than the %(max)s MB allowed")
            % {"mb": total // (1024 * 1024), "max": max_unpacked // (1024 * 1024)}
        )


def _xlsx_errors() -> tuple[type[Exception], ...]:
    """What a damaged or hostile workbook raises from openpyxl, which lets through whatever
    zipfile, zlib and the XML parser raise (defusedxml's refusals are ValueErrors)."""
    # openpyxl loads when a workbook comes: a CSV import never pays for it (here and below).
    from openpyxl.utils.exceptions import InvalidFileException

    damaged = (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, ParseError, InvalidFileException)
    # openpyxl's own reading of XML that parsed but is not what a workbook holds.
    malformed = (ValueError, TypeError, IndexError, NotImplementedError)
    return damaged + malformed


def _xlsx_problem(exc: Exception) -> UnreadableFile:
    from defusedxml import DefusedXmlException  # with openpyxl, only when a workbook comes

    # openpyxl wraps what went wrong in a ValueError of its own ("Unable to read workbook …
    # most probably … invalid XML"): the first cause names the problem.
    causes = [exc]
    while causes[-1].__cause__ is not None and len(causes) < 10:
        causes.append(causes[-1].__cause__)
    refused = [cause for cause in causes if isinstance(cause, DefusedXmlException)]
    if refused:
        # openpyxl parses with defusedxml when it is installed (requirements.txt): a DTD that
        # declares entities (the "billion laughs") or reaches outside the file is refused.
        return UnreadableFile(
            _(
                "it holds an XML document type declaration or entity, which no workbook needs: "
                "refused for safety (%s)"
            )
            % type(refused[0]).__name__
        )
    first = causes[-1]
    return UnreadableFile(
        _("not a readable XLSX file: it is damaged or cut short (%s)") % f"{type(first).__name__}: {first}"
    )


def open_xlsx(path: str, max_rows: int | None = None) -> Table:
    from openpyxl import load_workbook  # only when a workbook comes

    check_zip(path, max_unpacked=settings.IMPORT_XLSX_MAX_UNPACKED, max_ratio=settings.IMPORT_XLSX_MAX_RATIO)
    errors = _xlsx_errors()
    # A file object, not the path: openpyxl judges a path by its ending, and a workbook
    # uploaded as "leads.csv" or saved without an ending is still a workbook.
    fh = open(path, "rb")  # noqa: SIM115 — closed with the workbook
    try:
        book = load_workbook(fh, read_only=True, data_only=True)
    except errors as exc:
        fh.close()
        raise _xlsx_problem(exc) from None
    except BaseException:
        fh.close()
        raise

    def close():
        book.close()
        fh.close()  # openpyxl leaves a file it was given open

    try:
        sheet = book.worksheets[0]
        total = max(1, sheet.max_row or 1)
        seen = {"n": 0}

        def records():
            # The sheet's rows are numbered as Excel numbers them: openpyxl fills in the rows
            # a file leaves out, from row 1.
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                seen["n"] = number
                cells = ["" if v is None else _cell_text(v) for v in values]
                if "".join(cells).strip():
                    yield number, cells

        stream = records()
        found = _find_header(stream, lambda cells: [c.strip() for c in cells], empty=_("the sheet is empty"))
    except UnreadableFile:
        close()
        raise
    except errors as exc:
        close()
        raise _xlsx_problem(exc) from None
    except BaseException:
        close()
        raise
    current = [found.header_row]

    def rows():
        try:
            for number, cells in itertools.chain(found.after, stream):
                current[0] = number
                yield cells
        except UnreadableFile:
            raise
        except errors as exc:
            raise _xlsx_problem(exc) from None

    return Table(
        headers=found.headers,
        rows=rows(),
        progress=lambda: min(1.0, seen["n"] / total),
        encoding="xlsx",
        delimiter="",
        close=close,
        row_number=lambda: current[0],
        header_row=found.header_row,
    )


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers typed as numbers: 9876543210.0 -> 9876543210
    return _text(str(value))


def _text(cell: str) -> str:
    """A NUL character becomes "\ufffd", as an undecodable byte does: PostgreSQL cannot store a
    NUL in text (SQLite can), so without this one file imported on one database and not on the
    other; the mark shows where, and a number with one fails its check naming the column."""
    return cell.replace("\x00", "\ufffd") if "\x00" in cell else cell


def _size(fh) -> int:
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(0)
    return size


def open_table(path: str) -> Table:
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == ZIP_MAGIC:
        return open_xlsx(path)
    return open_csv(path)
