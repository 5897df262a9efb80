"""Exporting the current filtered list to CSV or XLSX, streamed, and audited."""

import csv
import io
import tempfile

from django.db.models import Count, Q
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from leadtracker.accounts.audit import Actor, record
from leadtracker.leads.consent import campaign_exclusion
from leadtracker.lib.timeutil import to_local

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


LEFT_OUT_REASONS = ("erased", "do_not_call", "no_consent")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=HYPERLINK(…), +cmd|…) is written as text.
    Applied to everything people typed; numbers we normalised ourselves are left alone."""
    return "'" + text if text and text.startswith(FORMULA_START) else text


def rows(qs, tz, campaign=False):
    if campaign:
        from leadtracker.leads.consent import link_maker

        link = link_maker()
    qs = qs.select_related("status", "source", "owner").prefetch_related("phones", "tags").order_by("pk")

    def when(value):
        # to_local: a follow-up stored for 9999 must not cut the file short halfway.
        return to_local(value, tz).strftime("%Y-%m-%d %H:%M") if value else ""

    # iterator() with prefetch needs a chunk size; rows are produced a chunk at a time.
    for lead in qs.iterator(chunk_size=2000):
        phones = [p.e164 for p in lead.phones.all()]
        row = [
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
        if campaign:
            # Each message of the campaign carries the person's own way out.
            row.append(link(lead.organisation_id, lead.pk))
        yield row


def _csv_stream(qs, tz, campaign=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so Excel opens it as UTF-8 (Hindi names stay readable)
    writer.writerow(columns(campaign))
    for row in rows(qs, tz, campaign):
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_file(qs, tz, campaign=False):
    """The workbook in a temporary file, written row by row: openpyxl's write-only mode
    streams each row to disk as it is appended, and the zip is written to a file, not to
    memory, so a million leads cost the same memory as ten. The file has no name on disk
    (TemporaryFile), so it vanishes when the response closes it — or if the worker dies."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leads")
    sheet.append(columns(campaign))
    for row in rows(qs, tz, campaign):
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


def columns(campaign: bool) -> list[str]:
    return [*COLUMNS, "unsubscribe_url"] if campaign else COLUMNS


def campaign_counts(qs) -> dict:
    """How many of the list a campaign may reach, and why the others are left out (each lead
    counted once, under the first reason that applies: erased, do not call, no consent)."""
    live = Q(erased_at__isnull=True)
    # Aliases must not be field names ("do_not_call"), or Django reads them as the fields.
    sums = qs.order_by().aggregate(
        n_total=Count("pk"),
        n_erased=Count("pk", filter=~live),
        n_do_not_call=Count("pk", filter=live & Q(do_not_call=True)),
        n_no_consent=Count("pk", filter=live & Q(do_not_call=False, marketing_consent=False)),
    )
    counts = {key[2:]: value for key, value in sums.items()}
    counts["left_out"] = counts["erased"] + counts["do_not_call"] + counts["no_consent"]
    counts["kept"] = counts["total"] - counts["left_out"]
    return counts


def export_response(request, qs, fmt: str, campaign: bool = False):
    """The list as a file. For a campaign, do-not-call, unconsenting and erased leads are left
    out; how many and why is in the audit event and the X-Left-Out-* headers."""
    org = request.org
    left_out = None
    if campaign:
        left_out = campaign_counts(qs)
        qs = qs.exclude(campaign_exclusion())
        count = left_out["kept"]
    else:
        count = qs.count()
    changes = {"rows": count, "format": fmt}
    if campaign:
        changes |= {"campaign": True, "left_out": {k: left_out[k] for k in LEFT_OUT_REASONS}}
    record(
        "lead.export",
        organisation=org,
        actor=Actor.from_request(request),
        object_type="lead_list",
        object_id="",
        changes=changes,
    )
    stamp = timezone.now().astimezone(org.tzinfo).strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        # FileResponse sends the file in blocks and closes (so deletes) it when done.
        response = FileResponse(
            _xlsx_file(qs, org.tzinfo, campaign),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            _csv_stream(qs, org.tzinfo, campaign), content_type="text/csv; charset=utf-8"
        )
    name = "campaign" if campaign else "leads"
    response["Content-Disposition"] = f'attachment; filename="{name}-{org.slug}-{stamp}.{fmt}"'
    if campaign:
        response["X-Left-Out"] = str(left_out["left_out"])
        for reason in LEFT_OUT_REASONS:
            response[f"X-Left-Out-{reason.replace('_', '-').title()}"] = str(left_out[reason])
    return response
