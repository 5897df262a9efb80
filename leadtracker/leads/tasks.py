import datetime as dt

from django_tasks import task

from leadtracker.lib import leases
from leadtracker.lib.periodic import periodic


@periodic(every=dt.timedelta(minutes=1))
@task()
def send_due_webhooks() -> int:
    from leadtracker.leads.webhooks import send_due

    return send_due()


@periodic(every=dt.timedelta(minutes=1))
@task()
def send_follow_up_reminders() -> int:
    from leadtracker.leads.reminders import send_due_reminders

    return send_due_reminders()


@task()
def run_import(job_id: int) -> dict:
    from leadtracker.leads.importer import run_import_job

    return run_import_job(job_id)


@leases.recoverer
def resume_abandoned_imports(now) -> int:
    """Imports whose worker died are queued again and resume from their last committed batch."""
    from leadtracker.leads.importer import requeue_abandoned

    return requeue_abandoned(now)


@periodic(every=dt.timedelta(hours=6))
@task()
def purge_old_import_files() -> int:
    """Uploaded spreadsheets and error reports hold personal data: kept a week after the import;
    those no import names (left by a killed request or worker) go after a day."""
    from leadtracker.leads.importer import purge_old_files, remove_orphan_files

    return purge_old_files() + remove_orphan_files()


@periodic(every=dt.timedelta(hours=24))
@task()
def purge_trash() -> dict:
    """Nightly: leads 30 days in the trash are deleted for good."""
    from leadtracker.leads.trash.actions import purge_trash as purge

    return purge()
