"""Exporting the current filtered list to CSV or XLSX, streamed, formula-safe and audited
(lib/spreadsheet.py writes the file and its event)."""

from django.db.models import Count, Q
from django.utils import timezone

from leadtracker.leads.consent import campaign_exclusion, link_maker
from leadtracker.leads.fields import display as field_display
from leadtracker.leads.fields import selectors as field_selectors
from leadtracker.lib import spreadsheet
from leadtracker.lib.timeutil import to_local

# The header of each column: words a manager reads in Excel, not field codes (other_phones,
# do_not_call). Still what the importer maps back by itself: it compares headers lower-cased,
# "_" and "-" as spaces (mapping.normalise_header), so "Do not call" is do_not_call's synonym and
# "E-mail" an e-mail column. English in every language: that comparison knows Latin letters only,
# so a Hindi header would import back unmapped (test_export_reads_in_words).
COLUMNS = [
    "ID",
    "Name",
    "Company",
    "Phone",
    "Other phones",
    "E-mail",
    "City",
    "Address",
    "Source",
    "Status",
    "Owner",
    "Value",
    "Tags",
    "Created at",
    "Last contacted at",
    "Next follow-up at",
    "Do not call",
    "Marketing consent",
    "Lost reason",
]


LEFT_OUT_REASONS = ("erased", "do_not_call", "no_consent")


def rows(qs, tz, campaign=False, custom=()):
    """``custom``: the custom fields the person may see, a column each after the built-in ones."""
    if campaign:
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
            lead.name,
            lead.company,
            lead.phone,
            " ".join(phones[1:]),
            lead.email,
            lead.city,
            lead.address,
            lead.source.name if lead.source_id else "",
            lead.status.name,
            lead.owner.email if lead.owner_id else "",
            "" if lead.value is None else str(lead.value),
            ", ".join(t.name for t in lead.tags.all()),
            when(lead.created_at),
            when(lead.last_contacted_at),
            when(lead.next_follow_up_at),
            "yes" if lead.do_not_call else "",
            "yes" if lead.marketing_consent else "",
            lead.lost_reason,
        ]
        row += [field_display.cell(f, lead.custom_fields.get(f.key)) for f in custom]
        if campaign:
            # Each message of the campaign carries the person's own way out.
            row.append(link(lead.organisation_id, lead.pk))
        yield row


def columns(campaign: bool, custom=()) -> list[str]:
    # A custom field's column is its key: the import maps it back onto the field by itself.
    return [*COLUMNS, *(f.key for f in custom), *(["unsubscribe_url"] if campaign else [])]


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
    audit = spreadsheet.Audit("lead.export", object_type="lead_list", changes=changes)
    stamp = timezone.now().astimezone(org.tzinfo).strftime("%Y%m%d-%H%M")
    name = "campaign" if campaign else "leads"
    filename = f"{name}-{org.slug}-{stamp}.{fmt}"
    # Archived fields too: their values are still the leads'. Hidden ones not for an agent.
    custom = field_selectors.fields_for(request.membership, archived=True)
    lines = rows(qs, org.tzinfo, campaign, custom)
    header = columns(campaign, custom)
    if fmt == "xlsx":
        response = spreadsheet.xlsx_response(request, filename, "Leads", header, lines, audit=audit)
    else:
        response = spreadsheet.csv_response(request, filename, header, lines, audit=audit)
    if campaign:
        response["X-Left-Out"] = str(left_out["left_out"])
        for reason in LEFT_OUT_REASONS:
            response[f"X-Left-Out-{reason.replace('_', '-').title()}"] = str(left_out[reason])
    return response


def error_report_response(request, job, content: bytes):
    """An import's error report (``imports.report.error_report``) as a download. The stored report
    was written formula-safe; it goes through the writer again on the way out all the same
    (escaping is idempotent), so a report written before that, or by hand, is made safe too.
    It repeats the uploaded cells, so who downloaded it is kept."""
    header, lines = spreadsheet.read_csv(content)
    return spreadsheet.csv_response(
        request,
        f"import-{job.pk}-errors.csv",
        header,
        lines,
        audit=spreadsheet.Audit("import_report.export", object_type="importjob", object_id=job.pk),
        stream=False,
    )
