import datetime as dt

from django_tasks import task

from leadtracker.attendance.actions import close_open_shifts as close
from leadtracker.lib.periodic import periodic


@periodic(every=dt.timedelta(minutes=5))
@task()
def close_open_shifts() -> int:
    """Shifts still open past the organisation's working-day end are closed, marked so."""
    return close()
