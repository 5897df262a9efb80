import datetime as dt

from django_tasks import task

from leadtracker.lib import leases, uploads
from leadtracker.lib.periodic import periodic


# Hourly: a request falls due at the hour it was received, and a day late is too late to hear of it.
@periodic(every=dt.timedelta(hours=1))
@task()
def alert_overdue_requests() -> int:
    from leadtracker.privacy.actions import alert_overdue_requests as alert

    return alert()


@periodic(every=dt.timedelta(hours=24))
@task()
def purge_expired_data() -> dict:
    """Nightly retention purge: every kind of data past its organisation's period, and the
    files interrupted uploads and export builds left behind."""
    from leadtracker.privacy.retention import purge

    result = purge()
    result.setdefault("*", {})["leftover_files"] = uploads.remove_leftovers()
    return result


@task()
def build_access_export(export_id: int) -> str:
    from leadtracker.privacy.export import build_export

    return build_export(export_id)


@leases.recoverer
def rebuild_abandoned_exports(now) -> int:
    """Exports whose worker died are queued again and built anew."""
    from leadtracker.privacy.export import requeue_abandoned

    return requeue_abandoned(now)
