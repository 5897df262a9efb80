"""An import as a job: the upload is stored and its headers read, the person confirms the
mapping, the worker imports it under a lease (lib/leases.py) and resumes it from its last
committed batch when its worker died; the files go a week after."""

import contextlib
import csv
import datetime as dt
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.language import language_of
from leadtracker.accounts.models import Membership, User
from leadtracker.leads.actions.permissions import check_owner
from leadtracker.leads.fields import imports as custom_imports
from leadtracker.leads.imports.importer import ON_DUPLICATE, Counts, Importer
from leadtracker.leads.imports.mapping import (
    FIELDS,
    RULES,
    StatusResolver,
    clean_value_mapping,
    guess_mapping,
    normalise,
    normalise_header,
    owner_resolver,
)
from leadtracker.leads.imports.reader import BrokenLine, UnreadableFile, open_table
from leadtracker.leads.imports.report import IssueReport, carry_over, flushed
from leadtracker.leads.models import ImportJob, ImportState
from leadtracker.lib import leases
from leadtracker.lib.errors import ActionError
from leadtracker.lib.stored_text import recording

logger = logging.getLogger(__name__)


def import_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _size_text(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".0 ", " ")
    return _("%s bytes") % size


def store_upload(org, uploaded, *, by: Membership, max_bytes: int | None = None) -> ImportJob:
    """Save an uploaded file and read its headers; the import itself runs in the worker."""
    max_bytes = max_bytes or settings.IMPORT_MAX_BYTES
    if uploaded.size > max_bytes:
        raise ActionError(
            _("%(name)s is larger than the limit of %(limit)s (%(size)s); split it into smaller files")
            % {"name": uploaded.name, "limit": _size_text(max_bytes), "size": _size_text(uploaded.size)},
            field="file",
        )
    path = import_dir() / f"{uuid.uuid4().hex}{Path(uploaded.name).suffix.lower()[:8]}"
    with open(path, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    try:
        table = open_table(str(path))
        headers = table.headers
        table.close()
    except (UnreadableFile, UnicodeError, csv.Error) as exc:
        os.remove(path)
        # 422: the request was well formed, the file in it cannot be read.
        raise ActionError(
            _("cannot read %(name)s: %(why)s") % {"name": uploaded.name, "why": exc},
            field="file",
            status_code=422,
        ) from None
    return ImportJob.objects.create(
        organisation=org,
        created_by=by.user,
        file_name=uploaded.name[:255],
        stored_path=str(path),
        file_size=uploaded.size,
        headers=headers,
        mapping=guess_mapping(headers, custom_imports.header_guesses(org.pk, normalise_header)),
    )


SCAN_ROWS = 20_000
MAX_VALUES = 200


def value_choices(job: ImportJob, by: Membership | None, mapping: dict | None = None) -> dict:
    """Each distinct value of the status and owner columns (of the first SCAN_ROWS rows), how
    often it comes, and what it will become — for the preview, where the person can change
    each. Values past the scan still follow the same rules at import time."""
    mapping = {
        int(k): v
        for k, v in (job.mapping if mapping is None else mapping).items()
        if v in ("status", "owner") and str(k).isdigit()
    }
    out = {"status": [], "owner": [], "scanned": 0, "complete": True}
    if not mapping:
        return out
    seen = {"status": {}, "owner": {}}
    table = open_table(job.stored_path)
    try:
        for cells in table.rows:
            if isinstance(cells, BrokenLine):
                continue
            if out["scanned"] >= SCAN_ROWS:
                out["complete"] = False
                break
            out["scanned"] += 1
            for index, target in mapping.items():
                value = str(cells[index]).strip() if index < len(cells) else ""
                if value:
                    counts = seen[target]
                    key = normalise(value)
                    if key in counts:
                        counts[key][1] += 1
                    elif len(counts) < MAX_VALUES:
                        counts[key] = [value, 1]
    finally:
        table.close()
    chosen = job.value_mapping or {}
    statuses = StatusResolver(job.organisation, chosen.get("status"))
    owners = owner_resolver(job.organisation, by, chosen)
    for value, count in sorted(seen["status"].values(), key=lambda v: -v[1]):
        r = statuses.resolve(value)
        out["status"].append(
            {
                "value": value,
                "rows": count,
                "status_id": r.target.pk if r.target else None,
                "how": r.how,
                "warning": r.warning,
            }
        )
    for value, count in sorted(seen["owner"].values(), key=lambda v: -v[1]):
        r = owners.resolve(value)
        target = r.target if r.target is not None else RULES
        out["owner"].append(
            {"value": value, "rows": count, "owner": target, "how": r.how, "warning": r.warning}
        )
    return out


def preview(job: ImportJob, rows: int = 10) -> list[list[str]]:
    table = open_table(job.stored_path)
    try:
        out = []
        for cells in table.rows:
            if isinstance(cells, BrokenLine):
                continue
            out.append([str(c) for c in cells])
            if len(out) >= rows:
                break
        return out
    finally:
        table.close()


def start_job(
    job: ImportJob,
    *,
    mapping: dict | None,
    on_duplicate: str,
    owner_id: int | None,
    source: str,
    by: Membership,
    value_mapping: dict | None = None,
) -> ImportJob:
    """Confirm the mapping and options and queue the import for the worker."""
    if job.state != ImportState.UPLOADED:
        raise ActionError(
            _("this import is already %s") % job.get_state_display().lower(), field="import", status_code=409
        )
    if on_duplicate not in ON_DUPLICATE:
        raise ActionError(_("must be one of %s") % ", ".join(ON_DUPLICATE), field="on_duplicate")
    mapping = job.mapping if mapping is None else {k: v for k, v in mapping.items() if v}
    unknown = sorted(set(mapping.values()) - set(FIELDS) - set(custom_imports.targets(job.organisation_id)))
    if unknown:
        raise ActionError(_("unknown lead field %r") % unknown[0], field="mapping")
    bad_columns = [k for k in mapping if not k.isdigit() or int(k) >= len(job.headers)]
    if bad_columns:
        raise ActionError(_("no column %r in the file") % bad_columns[0], field="mapping")
    if not any(v in ("phone", "email") for v in mapping.values()):
        raise ActionError(_("map at least one column to Phone or E-mail"), field="mapping")
    owner = None
    if owner_id is not None:
        check_owner(by, owner_id, job.organisation_id, field="owner_id")
        owner = User.objects.get(pk=owner_id)
    chosen = clean_value_mapping(job.organisation, value_mapping, by=by)
    job.mapping, job.on_duplicate, job.owner, job.source_name, job.value_mapping = (
        mapping,
        on_duplicate,
        owner,
        source.strip()[:80],
        chosen,
    )
    job.state = ImportState.QUEUED
    job.save(update_fields=["mapping", "on_duplicate", "owner", "source_name", "value_mapping", "state"])
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


FILE_RETENTION = dt.timedelta(days=7)


def purge_old_files(now=None) -> int:
    """Delete the uploaded file, the error report and the first issues of imports that ended
    (or were left unstarted) more than a week ago; the job's counts stay."""
    now = now or timezone.now()
    cutoff = now - FILE_RETENTION
    old = ImportJob.objects.filter(created_at__lt=cutoff).exclude(
        state__in=[ImportState.QUEUED, ImportState.RUNNING]
    )
    return remove_files([job for job in old if job.stored_path or job.error_report_path or job.first_issues])


def remove_files(jobs) -> int:
    """Delete the jobs' uploaded files and error reports, and the first issues the result page
    shows, which quote the file's cells; the counts stay. Used by the weekly clean-up above and
    by an organisation's shorter retention period. Returns how many files were removed."""
    removed = 0
    for job in jobs:
        for path in (job.stored_path, job.error_report_path):
            if path and os.path.exists(path):
                os.remove(path)
                removed += 1
    ImportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(
        stored_path="", error_report_path="", first_issues=[]
    )
    return removed


ORPHAN_AGE = dt.timedelta(days=1)


def remove_orphan_files() -> int:
    """Files in the imports folder that no job names, a day after they were last written: an
    upload whose request was killed between saving the file and creating its job, a report a
    killed worker was starting. They hold whole rows of names and numbers."""
    cutoff = (timezone.now() - ORPHAN_AGE).timestamp()
    old = {str(p) for p in import_dir().iterdir() if p.is_file() and p.stat().st_mtime < cutoff}
    if not old:
        return 0
    named = ImportJob.objects.filter(Q(stored_path__in=old) | Q(error_report_path__in=old))
    for job in named.only("stored_path", "error_report_path"):
        old -= {job.stored_path, job.error_report_path}
    for path in old:
        Path(path).unlink(missing_ok=True)
    return len(old)


MAX_ATTEMPTS = 5


def _report_name(job: ImportJob) -> Path:
    # A resumed import writes a report of its own (the committed part carried over): a worker
    # presumed dead that comes back writes on into the old file, which nobody reads any more.
    suffix = "" if job.attempts <= 1 else f"-{job.attempts}"
    return import_dir() / f"import-{job.pk}-errors{suffix}.csv"


@task()
def run_import(job_id: int) -> dict:
    # Defined beside what queues it (start_job, requeue_abandoned); tasks.py names it too, for
    # the tasks queued before it moved here (their rows say leadtracker.leads.tasks.run_import).
    return run_import_job(job_id)


def run_import_job(job_id: int) -> dict:
    """The worker's part: take the job's lease and import, from the first record, or from the
    first one not committed when an earlier worker died in the middle."""
    rows = ImportJob.objects.filter(pk=job_id)
    taken = leases.take(
        rows.filter(state__in=[ImportState.QUEUED, ImportState.UPLOADED]),
        state=ImportState.RUNNING,
        started_at=Coalesce(F("started_at"), Value(timezone.now(), output_field=DateTimeField())),
        attempts=F("attempts") + 1,
    )
    if not taken:
        return rows.get().summary()  # done, failed, or being imported by a live worker
    job = ImportJob.objects.select_related("organisation", "created_by", "owner").get(pk=job_id)
    # The committed batches' counts; `rows` is how many records they consumed.
    resume = Counts(**job.summary()) if job.rows else None
    report_path = _report_name(job)
    actor = Actor.for_user(job.created_by) if job.created_by else Actor.system()
    with open(report_path, "w", newline="", encoding="utf-8-sig") as fh:
        report = IssueReport(fh, job.headers)
        if resume is not None:
            carry_over(job.error_report_path, job.report_offset, fh)
            report.first = list(job.first_issues)
        leases.renew(rows, error_report_path=str(report_path), report_offset=flushed(fh))
        for stale in import_dir().glob(f"import-{job.pk}-errors*.csv"):
            if stale != report_path:
                stale.unlink(missing_ok=True)
        # The report's reasons ("row 14: the phone number 12345 is too short") are written now,
        # in the language of the person who started the import: each is a finished sentence
        # from the same cleaning the forms and the API use (numbers, e-mails, custom fields,
        # statuses, owners), often one inside another, and the CSV report is streamed to a file
        # once, row by row, in constant memory. recording() (lib/stored_text.py) keeps, for the
        # first issues the result page lists, what each said as well (msgid and values, nested),
        # so the page reads them in its reader's language (report.IssueReport); a reason put
        # together outside gettext keeps the importer's words. Its cost: ~200 gettext calls
        # per 5,000 rows with 50 issues, within the noise of the import's CPU time.
        language = language_of(job.created_by, job.organisation)
        try:
            with override(language), recording():
                counts = _import(job, rows, actor, report, fh, resume)
        except leases.LeaseLost:
            # Presumed dead while it was slow: another worker resumed the job from our last
            # committed batch, and this one's last batch was rolled back.
            logger.warning("import %s: taken over by another worker; this one stops", job.pk)
            return rows.get().summary()
        except Exception as exc:
            with contextlib.suppress(leases.LeaseLost):
                leases.release(
                    rows, state=ImportState.FAILED, failure=str(exc)[:500], finished_at=timezone.now()
                )
            raise
    if not (counts.errors or counts.warnings):
        os.remove(report_path)
    return counts.as_dict()


def _import(job: ImportJob, rows, actor: Actor, report: IssueReport, fh, resume: Counts | None) -> Counts:
    report_path = _report_name(job)

    def progress(fraction, counts, last):
        # In the batch's transaction: the leads and what the job says it consumed commit
        # together, and a worker whose lease was taken over rolls its batch back.
        fields = {
            "progress": round(fraction, 4),
            "first_issues": report.first,
            "report_offset": flushed(fh),
            **counts.as_dict(),
        }
        if not last:
            leases.renew(rows, **fields)
            return
        has_issues = bool(counts.errors or counts.warnings)
        leases.release(
            rows,
            state=ImportState.DONE,
            finished_at=timezone.now(),
            error_report_path=str(report_path) if has_issues else "",
            **{**fields, "progress": 1.0},
        )
        record("lead.import", organisation=job.organisation, actor=actor, obj=job, changes=counts.as_dict())

    by = (
        Membership.objects.filter(organisation=job.organisation, user=job.created_by, is_active=True)
        .select_related("organisation")
        .first()
        if job.created_by
        else None
    )
    importer = Importer(
        job.organisation,
        mapping=job.mapping,
        actor=actor,
        on_duplicate=job.on_duplicate,
        owner=job.owner,
        source_name=job.source_name,
        issue_sink=report,
        by=by,
        value_mapping=job.value_mapping,
    )
    table = open_table(job.stored_path)
    try:
        return importer.run(table, on_progress=progress, resume=resume)
    finally:
        table.close()


def requeue_abandoned(now=None) -> int:
    """Imports whose worker died (their lease lapsed) are queued again, to resume from their
    last committed batch; one that has stopped its worker MAX_ATTEMPTS times is failed."""
    now = now or timezone.now()
    requeued = 0
    abandoned = leases.lapsed(ImportJob.objects.filter(state=ImportState.RUNNING), now)
    for job in abandoned.only("pk", "attempts", "error_report_path", "report_offset"):
        row = ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING)
        if job.attempts >= MAX_ATTEMPTS:
            failure = f"the worker importing it stopped {job.attempts} times; it was not tried again"
            if leases.reclaim(row, now, state=ImportState.FAILED, failure=failure, finished_at=now):
                # The report keeps the issues of the committed rows only, as the counts do.
                with contextlib.suppress(FileNotFoundError):
                    if os.path.getsize(job.error_report_path) > job.report_offset:
                        os.truncate(job.error_report_path, job.report_offset)
            continue
        with transaction.atomic():
            # The task is written in the same transaction: the job is never queued without one.
            if leases.reclaim(row, now, state=ImportState.QUEUED):
                run_import.enqueue(job.pk)
                requeued += 1
    return requeued
