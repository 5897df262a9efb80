"""Exporting the current filtered list to CSV or XLSX, streamed, and audited."""

import csv
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from leadtracker.accounts.audit import Actor, record

COLUMNS = [
    "id",
    "name",
    "company",
    "phone",
    "other_phones",
    "email",
    "city",
    "address",
    "source",
    "status",
    "owner",
    "value",
    "tags",
    "created_at",
    "last_contacted_at",
    "next_follow_up_at",
    "do_not_call",
    "marketing_consent",
    "lost_reason",
]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=HYPERLINK(…), +cmd|…) is written as text.
    Applied to everything people typed; numbers we normalised ourselves are left alone."""
    return "'" + text if text and text.startswith(FORMULA_START) else text


def rows(qs, tz):
    qs = qs.select_related("status", "source", "owner").prefetch_related("phones", "tags").order_by("pk")

    def when(value):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""

    # iterator() with prefetch needs a chunk size; rows are produced a chunk at a time.
    for lead in qs.iterator(chunk_size=2000):
        phones = [p.e164 for p in lead.phones.all()]
        yield [
            lead.pk,
            safe(lead.name),
            safe(lead.company),
            lead.phone,
            " ".join(phones[1:]),
            safe(lead.email),
            safe(lead.city),
            safe(lead.address),
            safe(lead.source.name) if lead.source_id else "",
            safe(lead.status.name),
            lead.owner.email if lead.owner_id else "",
            "" if lead.value is None else str(lead.value),
            safe(", ".join(t.name for t in lead.tags.all())),
            when(lead.created_at),
            when(lead.last_contacted_at),
            when(lead.next_follow_up_at),
            "yes" if lead.do_not_call else "",
            "yes" if lead.marketing_consent else "",
            safe(lead.lost_reason),
        ]


def _csv_stream(qs, tz):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so Excel opens it as UTF-8 (Hindi names stay readable)
    writer.writerow(COLUMNS)
    for row in rows(qs, tz):
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_file(qs, tz):
    """The workbook in a temporary file, written row by row: openpyxl's write-only mode
    streams each row to disk as it is appended, and the zip is written to a file, not to
    memory, so a million leads cost the same memory as ten. The file has no name on disk
    (TemporaryFile), so it vanishes when the response closes it — or if the worker dies."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leads")
    sheet.append(COLUMNS)
    for row in rows(qs, tz):
        # Control characters (a stray \x0b from an imported sheet) are not allowed in XLSX;
        # openpyxl would refuse the whole export over one cell.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    out = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        workbook.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def export_response(request, qs, fmt: str):
    org = request.org
    count = qs.count()
    record(
        "lead.export",
        organisation=org,
        actor=Actor.from_request(request),
        object_type="lead_list",
        object_id="",
        changes={"rows": count, "format": fmt},
    )
    stamp = timezone.now().astimezone(org.tzinfo).strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        # FileResponse sends the file in blocks and closes (so deletes) it when done.
        response = FileResponse(
            _xlsx_file(qs, org.tzinfo),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(_csv_stream(qs, org.tzinfo), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leads-{org.slug}-{stamp}.{fmt}"'
    return response
