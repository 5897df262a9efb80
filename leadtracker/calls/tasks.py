import datetime as dt

from django_tasks import task

from leadtracker.lib.periodic import periodic


@periodic(every=dt.timedelta(hours=6))
@task()
def purge_usage() -> int:
    """Usage counters older than USAGE_RETENTION_DAYS are deleted."""
    from leadtracker.calls.actions import purge_usage as purge

    return purge()
