"""The privacy app's background jobs, found by the worker through this module (accounts/scheduler.py
imports every app's tasks). The periodic jobs are defined here: their names, kept in the
database with their last run, are this module's path."""

import datetime as dt

from django_tasks import task

from leadtracker.lib import leases, uploads
from leadtracker.lib.periodic import periodic
from leadtracker.privacy.export import tasks as export_tasks
from leadtracker.privacy.requests import actions
from leadtracker.privacy.retention import purge as retention

# Defined beside the job it runs (privacy/export/tasks.py); named here too, because the rows
# queued before it moved there name this module's path, and the worker looks it up by that.
build_access_export = export_tasks.build_access_export


# Hourly: a request falls due at the hour it was received, and a day late is too late to hear of it.
@periodic(every=dt.timedelta(hours=1))
@task()
def alert_overdue_requests() -> int:
    return actions.alert_overdue_requests()


@periodic(every=dt.timedelta(hours=24))
@task()
def purge_expired_data() -> dict:
    """Nightly retention purge: every kind of data past its organisation's period, and the
    files interrupted uploads and export builds left behind."""
    result = retention.purge()
    result.setdefault("*", {})["leftover_files"] = uploads.remove_leftovers()
    return result


@leases.recoverer
def rebuild_abandoned_exports(now) -> int:
    """Exports whose worker died are queued again and built anew."""
    return export_tasks.requeue_abandoned(now)
