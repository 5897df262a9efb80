import datetime as dt
import time

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from leadtracker.accounts import actions, idempotency
from leadtracker.accounts.models import RateCounter
from leadtracker.lib.periodic import periodic


@periodic(every=dt.timedelta(hours=6))
@task()
def purge_expired_audit_events() -> int:
    """Retention: audit events older than the organisation's retention period go."""
    return actions.purge_expired_audit_events()


@task()
def send_email(subject: str, body: str, to: list[str]) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@periodic(every=dt.timedelta(hours=1))
@task()
def purge_old_rate_counters() -> int:
    """Throttling windows older than a day count for nothing any more."""
    deleted, _ = RateCounter.objects.filter(ends_at__lt=int(time.time()) - 86400).delete()
    return deleted


@periodic(every=dt.timedelta(hours=1))
@task()
def purge_idempotent_requests() -> int:
    """Answers to writes sent with an Idempotency-Key are kept a day (accounts/idempotency.py)."""
    return idempotency.purge_expired()
