"""An import's report: every error and warning as CSV, each row with the uploaded row's own
cells, and the first few kept for the result page. A resumed import carries over what its
committed batches reported."""

import io
import logging
import os

from leadtracker.leads.imports.importer import Issue
from leadtracker.leads.models import ImportJob, ImportState
from leadtracker.lib.spreadsheet import CsvWriter
from leadtracker.lib.stored_text import recipe_of

logger = logging.getLogger(__name__)

REPORT_HEADER = ["kind", "row", "column", "value", "reason"]
FIRST_ISSUES = 50


def error_report(job: ImportJob) -> bytes | None:
    """Every error and warning, as CSV (just the header when there were none); None until
    the import ends."""
    if job.state not in (ImportState.DONE, ImportState.FAILED):
        return None
    if job.error_report_path and os.path.exists(job.error_report_path):
        with open(job.error_report_path, "rb") as fh:
            return fh.read()
    buffer = io.StringIO()
    CsvWriter(buffer).writerow([*REPORT_HEADER, *job.headers])
    return ("\ufeff" + buffer.getvalue()).encode()


class IssueReport:
    """Writes each issue to the CSV report (through lib/spreadsheet.py's writer, so every cell
    is formula-safe: they are the uploaded file's own cells and headers) and keeps the first
    FIRST_ISSUES for the result page."""

    def __init__(self, fh, headers):
        self.writer = CsvWriter(fh)
        self.writer.writerow([*REPORT_HEADER, *headers])
        self.first: list[dict] = []

    def __call__(self, issue: Issue):
        self.writer.writerow(self.line(issue))
        if len(self.first) < FIRST_ISSUES:
            first = issue.as_dict()
            # The result page reads them in its reader's language when the import kept what
            # they say (jobs.py imports under recording()); the CSV has the importer's words.
            for name in ("reason", "column"):
                if said := recipe_of(first[name]):
                    first[f"{name}_said"] = said
                first[name] = str(first[name])
            self.first.append(first)

    @staticmethod
    def line(issue: Issue) -> list:
        return [
            issue.kind,
            issue.row,
            str(issue.column),
            str(issue.value),
            issue.reason,
            *(str(c) for c in issue.cells),
        ]


def flushed(fh) -> int:
    """Bytes of the report handed to the OS so far (a killed process loses none of them)."""
    fh.flush()
    return fh.buffer.tell()


def carry_over(old_path: str, offset: int, fh) -> None:
    """Copy the committed issues of an interrupted run's report (its bytes after the header,
    up to ``offset``) into the new report, whose header is written already."""
    left = offset - flushed(fh)
    try:
        with open(old_path, "rb") as old:
            old.seek(offset - left)
            while left > 0 and (chunk := old.read(min(left, 1024 * 1024))):
                fh.buffer.write(chunk)
                left -= len(chunk)
    except FileNotFoundError:
        pass
    if left > 0:
        logger.warning("import report %s was cut short: issues of committed rows are missing", old_path)
