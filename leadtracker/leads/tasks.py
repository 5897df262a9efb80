import datetime as dt

from django_tasks import task

from leadtracker.leads.imports.jobs import (
    purge_old_files,
    remove_orphan_files,
    requeue_abandoned,
    run_import,  # noqa: F401 — tasks queued as leadtracker.leads.tasks.run_import
)
from leadtracker.leads.reminders import send_due_reminders
from leadtracker.leads.trash.actions import purge_trash as purge
from leadtracker.leads.webhooks import send_due_webhooks  # noqa: F401 — tasks queued under this module's name
from leadtracker.lib import leases
from leadtracker.lib.periodic import periodic


@periodic(every=dt.timedelta(minutes=1))
@task()
def send_follow_up_reminders() -> int:
    return send_due_reminders()


@leases.recoverer
def resume_abandoned_imports(now) -> int:
    """Imports whose worker died are queued again and resume from their last committed batch."""
    return requeue_abandoned(now)


@periodic(every=dt.timedelta(hours=6))
@task()
def purge_old_import_files() -> int:
    """Uploaded spreadsheets and error reports hold personal data: kept a week after the import;
    those no import names (left by a killed request or worker) go after a day."""
    return purge_old_files() + remove_orphan_files()


@periodic(every=dt.timedelta(hours=24))
@task()
def purge_trash() -> dict:
    """Nightly: leads 30 days in the trash are deleted for good."""
    return purge()
