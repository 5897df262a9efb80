import datetime as dt

from django_tasks import task

from leadtracker.lib.periodic import periodic
from leadtracker.reports.digest import send_due


# Every quarter of an hour: each organisation gets its digest within 15 minutes of its
# digest hour in its own time zone; digest.py makes sure nobody gets two in a day.
@periodic(every=dt.timedelta(minutes=15))
@task()
def send_daily_digests() -> int:
    return send_due()
