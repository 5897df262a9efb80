import datetime as dt

from django_tasks import task

from leadtracker.calls import callbacks
from leadtracker.lib.periodic import periodic


@periodic(every=dt.timedelta(hours=6))
@task()
def purge_usage() -> int:
    """Usage counters older than USAGE_RETENTION_DAYS are deleted."""
    from leadtracker.calls.actions import purge_usage as purge

    return purge()


@periodic(every=dt.timedelta(minutes=5))
@task()
def remind_waiting_call_backs() -> int:
    """Missed calls waiting over 30 minutes: a reminder to whoever is to return each."""
    return callbacks.remind_waiting()
