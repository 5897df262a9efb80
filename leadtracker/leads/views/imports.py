"""Importing leads from the web: upload a file, map its columns and values, follow the job."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.leads import selectors
from leadtracker.leads.export import error_report_response
from leadtracker.leads.fields import imports as custom_imports
from leadtracker.leads.forms import UploadForm
from leadtracker.leads.imports import jobs
from leadtracker.leads.imports.mapping import FIELDS
from leadtracker.leads.imports.report import error_report
from leadtracker.leads.models import ImportJob
from leadtracker.lib import spreadsheet
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import int_or_none, merge_context


@member_required(Role.MANAGER)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.store_upload(request.org, form.cleaned_data["file"], by=request.membership)
        except ActionError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("import_detail", import_id=job.pk)
    recent = ImportJob.objects.filter(organisation=request.org).select_related("created_by")
    recent = recent.order_by("-id")[:10]
    return render(request, "leads/import_upload.html", {"form": form, "recent": recent})


# A sheet to start from: the columns the importer recognises by these very headers
# (imports/mapping.SYNONYMS), and two rows showing how each is written.
SAMPLE_HEADER = ["Name", "Phone", "E-mail", "Company", "City", "Source", "Status", "Value", "Tags", "Notes"]
SAMPLE_ROWS = [
    ["Priya Sharma", "98765 43210", "priya@example.com", "Sharma Traders", "Pune", "IndiaMART",
     "New", "450000", "hot, 2bhk", "Wants a site visit on Saturday"],
    ["Rahul Verma", "+91 91234 56789", "", "", "Lucknow", "Walk-in",
     "Interested", "1200000", "", "Call after 6 pm"],
]  # fmt: skip


@member_required(Role.MANAGER)
def import_sample(request):
    return spreadsheet.csv_response(
        request,
        "leadtracker-import-sample.csv",
        SAMPLE_HEADER,
        SAMPLE_ROWS,
        audit=spreadsheet.Audit("import_sample.download", object_type="import_sample"),
        stream=False,
    )


def _import_refusal(exc: ActionError) -> str:
    field = exc.field or ""
    kind, _sep, value = field.removeprefix("value_mapping.").partition(".")
    if field.startswith("value_mapping.") and value:
        what = {"status": _("Status"), "owner": _("Owner")}.get(kind, kind.title())
        return _("%(what)s “%(value)s”: %(message)s") % {"what": what, "value": value, "message": exc.message}
    return exc.message


def _posted_value_mapping(data) -> dict:
    """The preview's choices for each value of the status and owner columns; a value left on
    "automatic" is not a choice, so it keeps its warning."""
    out = {"status": {}, "owner": {}, "unknown_owner": data.get("unknown_owner") or "rules"}
    for kind in ("status", "owner"):
        for i in range(min(int_or_none(data.get(f"{kind}_values")) or 0, jobs.MAX_VALUES)):
            value, target = data.get(f"{kind}_value_{i}", ""), data.get(f"{kind}_to_{i}", "")
            if value and target:
                out[kind][value] = int(target) if target.isdigit() else target
    return out


def _import_page(request, job, *, mapping=None, status=200):
    preview = jobs.preview(job) if job.state == "uploaded" else []
    mapping = job.mapping if mapping is None else mapping
    columns = [
        {
            "index": i,
            "header": h,
            "field": mapping.get(str(i), ""),
            "samples": [row[i] if i < len(row) else "" for row in preview[:3]],
        }
        for i, h in enumerate(job.headers)
    ]
    values = jobs.value_choices(job, request.membership, mapping) if job.state == "uploaded" else None
    context = {
        "job": job,
        "columns": columns,
        "fields": {**FIELDS, **custom_imports.labels(request.org.pk)},
        "preview": preview,
        "values": values,
    }
    page = merge_context(context, selectors.choices(request.membership))
    return render(request, "leads/import_detail.html", page, status=status)


@member_required(Role.MANAGER)
def import_detail(request, import_id):
    job = get_object_or_404(ImportJob, organisation=request.org, pk=import_id)
    if request.method == "POST":
        mapping = {str(i): request.POST.get(f"col{i}", "") for i in range(len(job.headers))}
        try:
            jobs.start_job(
                job,
                mapping=mapping,
                on_duplicate=request.POST.get("on_duplicate", "skip"),
                owner_id=int_or_none(request.POST.get("owner")),
                source=request.POST.get("source", ""),
                by=request.membership,
                value_mapping=_posted_value_mapping(request.POST),
            )
        except ActionError as exc:
            # Nothing was queued: the page comes back with the person's choices and the reason,
            # in the page's words (a value in the file, not the API's value_mapping.status.X).
            messages.error(request, _import_refusal(exc))
            return _import_page(request, job, mapping=mapping, status=422)
        return redirect("import_detail", import_id=job.pk)
    if request.headers.get("HX-Request") and job.state == "uploaded":
        # The column choices changed: what the status and owner columns' values will become.
        mapping = {str(i): request.GET.get(f"col{i}", "") for i in range(len(job.headers))}
        return render(
            request,
            "leads/_import_values.html",
            merge_context(
                {
                    "job": job,
                    "values": jobs.value_choices(job, request.membership, mapping),
                },
                selectors.choices(request.membership),
            ),
        )
    if request.headers.get("HX-Request"):
        return render(request, "leads/_import_progress.html", {"job": job})
    return _import_page(request, job)


@member_required(Role.MANAGER)
def import_errors(request, import_id):
    job = get_object_or_404(ImportJob, organisation=request.org, pk=import_id)
    content = error_report(job)
    if content is None:
        messages.info(request, _("The report is ready when the import ends."))
        return redirect("import_detail", import_id=job.pk)
    return error_report_response(request, job, content)
