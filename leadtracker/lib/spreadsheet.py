"""Every CSV and XLSX the app offers is written here, and only here: the leads, campaign, calls,
audit-log, timesheet and dashboard downloads, the import error report and the CSVs inside an
access export. Three things hold for all of them:

* **Formula-safe.** A text cell that a spreadsheet would run as a formula — one starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list) — is written with a
  leading apostrophe, so Excel, LibreOffice and Sheets show ``'=HYPERLINK(…)`` instead of
  running it. One rule for every file and every column, typed by a person or not:

  - text that is phone numbers in E.164 and nothing else (``+919876543210``, or several
    separated by single spaces, as the leads export writes a lead's other numbers) stays as
    it is: ``+`` and digits can call no function and reach no other cell, and the numbers we
    normalised are the column people dial and import again, which an apostrophe would spoil;
  - everything else starting with one of those characters is escaped, ``-2+3`` included;
  - numbers given as numbers (``int``, ``float``, ``Decimal``) are written as numbers: a
    negative figure is a value, not a formula.

  The apostrophe is added once: an already escaped cell starts with ``'`` and is left alone,
  so a report read back and written again (the import error report) is unchanged.
* **Constant memory.** CSV is produced in pieces of about 64 KB from an iterator of rows, and
  XLSX with openpyxl's write-only mode into an unnamed temporary file: a million rows cost the
  memory of one piece.
* **Audited.** A download is answered by :func:`csv_response` or :func:`xlsx_response`, which
  take an ``audit=`` naming the action and the object and record that one event (through the
  ``exported`` signal: the audit log lives in ``accounts``, above this module). A caller never
  records the export's event itself, so an export is never recorded twice.
"""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Numbers as lib/phones.py stores them, one or several separated by a space.
E164_NUMBERS = re.compile(r"\+[1-9]\d{5,14}(?: \+[1-9]\d{5,14})*")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"  # so Excel opens a CSV as UTF-8 (Hindi names stay readable)
PIECE = 64 * 1024


def formula_safe(text: str) -> str:
    """ "=HYPERLINK(…)" becomes "'=HYPERLINK(…)": shown, never run (see the module's rule)."""
    if text and text.startswith(FORMULA_START) and not E164_NUMBERS.fullmatch(text):
        return "'" + text
    return text


def cell(value):
    """One cell as it is written: numbers as numbers, nothing as empty, anything else as
    formula-safe text."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    return formula_safe(value if isinstance(value, str) else str(value))


class CsvWriter:
    """csv.writer over a text file, every cell through :func:`cell`. For files that are not
    answered at once: the import error report, the CSVs in an access export's zip."""

    def __init__(self, fh, *, bom: bool = False):
        if bom:
            fh.write(BOM)
        self._writer = csv.writer(fh)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_pieces(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV (with a BOM) in pieces of about 64 KB, rows taken from the iterator as they are
    needed: memory stays flat however many rows there are."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, bom=True)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(sheet_name: str, header: Iterable, rows: Iterable[Iterable]):
    """The workbook in a temporary file, written row by row: openpyxl's write-only mode
    streams each row to disk as it is appended, and the zip is written to a file, not to
    memory, so a million rows cost the same memory as ten. The file has no name on disk
    (TemporaryFile), so it vanishes when it is closed — or if the worker dies."""
    # openpyxl costs ~0.1 s to load and only XLSX downloads need it
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(row):
        # Control characters (a stray \x0b from an imported sheet) are not allowed in XLSX:
        # openpyxl would refuse the whole file over one cell. They go before the formula
        # check, so "\x0b=1+1" cannot become a live "=1+1". A text cell that still starts
        # with "=" after cell() is impossible, and openpyxl writes only those as formulas.
        return [cell(ILLEGAL_CHARACTERS_RE.sub("", v)) if isinstance(v, str) else cell(v) for v in row]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(clean(header))
    for row in rows:
        sheet.append(clean(row))
    out = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        workbook.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


# --- downloads, each with its audit event ------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """The event a download records: ``action`` (``lead.export``), the object exported
    (``object_type``, ``object_id``) and ``changes`` — ids, counts, formats and filters only,
    never a name or a number."""

    action: str
    object_type: str
    object_id: str | int = ""
    changes: dict = field(default_factory=dict)


# Sent with request= and audit= once per download; leadtracker.accounts records the event.
exported = Signal()


def record(request, audit: Audit) -> None:
    if not isinstance(audit, Audit):
        raise TypeError("audit= takes a spreadsheet.Audit naming the action and the object")
    if not exported.send(sender=Audit, request=request, audit=audit):
        # Never a download that leaves no trace because the recorder was not connected.
        raise ImproperlyConfigured("nothing records exports: leadtracker.accounts must be installed")


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    request, filename: str, header: Iterable, rows: Iterable[Iterable], *, audit: Audit, stream: bool = True
):
    """A CSV download, its event recorded. ``stream=False`` builds the whole file first, for
    the small ones (a chart's table, a timesheet): a failure then answers an error rather
    than a file cut short."""
    record(request, audit)
    if stream:
        response = StreamingHttpResponse(csv_pieces(header, rows), content_type=CSV_TYPE)
    else:
        response = HttpResponse("".join(csv_pieces(header, rows)), content_type=CSV_TYPE)
    return _attachment(response, filename)


def xlsx_response(
    request, filename: str, sheet_name: str, header: Iterable, rows: Iterable[Iterable], *, audit: Audit
):
    """An XLSX download, its event recorded once the workbook is written. FileResponse sends
    the temporary file in blocks and closes (so deletes) it when done."""
    workbook = xlsx_file(sheet_name, header, rows)
    record(request, audit)
    return _attachment(FileResponse(workbook, content_type=XLSX_TYPE), filename)


def read_csv(content: bytes) -> tuple[list[str], Iterator[list[str]]]:
    """A CSV this module wrote earlier (a stored report), as its header and rows, to be sent
    through :func:`csv_response` again."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return next(reader, []), reader
