"""Leases: how a long job says "a live worker is on this", in a way that lapses when it dies.

A job row (an import, an access export, a webhook delivery, one person's digest) holds
``lease_until`` and ``lease_holder``. A worker takes a job with one conditional UPDATE (only a
row whose lease is free or lapsed matches, so two workers never both take it), renews the
lease as the job makes progress (at each committed batch; every job beats at least every
HEARTBEAT seconds, a quarter of the lease) and releases it when the job ends.

Every write a job makes to its own row is fenced by the holder: ``renew`` and ``release`` match
only while ``lease_holder`` is still this process, and raise LeaseLost otherwise. A worker that
was presumed dead (stopped by the OS for minutes, say) and comes back therefore cannot write
over the worker that took its job over: its batch transaction rolls back.

A worker killed mid-job (kill -9, out of memory, power) leaves a lease that lapses after
JOB_LEASE_SECONDS; the worker's periodic pass calls ``recover()``, which runs each app's
recoverer (registered with ``@recoverer``): it queues the job again, and the job resumes from
what it committed.
"""

import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker holds this job now (this one was presumed dead): stop, write nothing."""


class Leased(models.Model):
    """The two columns a leased job row carries."""

    # While a worker is on the job: the moment after which it is presumed dead.
    lease_until = models.DateTimeField(null=True, blank=True)
    # Who holds it: holder() of the worker's process (host:pid:nonce).
    lease_holder = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True


def seconds() -> int:
    return max(1, int(settings.JOB_LEASE_SECONDS))


def heartbeat_seconds() -> float:
    """How often a live job renews: a quarter of the lease, at most 30 s, so three beats in a
    row can be late (a slow batch, a busy database) before the job is presumed dead."""
    return min(30.0, seconds() / 4)


_holder: tuple[int, str] | None = None


def holder() -> str:
    """This process, as it signs its leases: host, pid and a nonce (a pid is reused after a
    restart; the nonce is not). Made again after a fork, so a forked child never shares it."""
    global _holder
    pid = os.getpid()
    if _holder is None or _holder[0] != pid:
        _holder = (pid, f"{socket.gethostname()[:40]}:{pid}:{secrets.token_hex(4)}")
    return _holder[1]


def until(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(seconds=seconds())


def free(now: dt.datetime | None = None) -> Q:
    """Rows no live worker holds: never leased, released, or lapsed."""
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now or timezone.now())


def take(queryset, **changes) -> int:
    """Take the lease on the rows of ``queryset`` that are free, writing ``changes`` with it;
    returns how many were taken (0: another worker has them)."""
    now = timezone.now()
    return queryset.filter(free(now)).update(lease_until=until(now), lease_holder=holder(), **changes)


def renew(queryset, **changes) -> None:
    """Extend this worker's lease, writing ``changes`` (the job's progress) in the same
    statement; LeaseLost when another worker holds it now."""
    if not queryset.filter(lease_holder=holder()).update(lease_until=until(), **changes):
        raise LeaseLost(f"{queryset.model._meta.model_name}: the lease is held by another worker")


def release(queryset, **changes) -> None:
    """The job ended (done or failed): write its outcome and free the row; LeaseLost when
    another worker holds it now (the outcome is theirs to write)."""
    if not queryset.filter(lease_holder=holder()).update(lease_until=None, lease_holder="", **changes):
        raise LeaseLost(f"{queryset.model._meta.model_name}: the lease is held by another worker")


def lapsed(queryset, now: dt.datetime | None = None):
    """The rows of ``queryset`` whose holder stopped beating: presumed dead."""
    return queryset.filter(lease_until__lt=now or timezone.now())


def reclaim(queryset, now: dt.datetime | None = None, **changes) -> int:
    """Free the lapsed rows of ``queryset``, writing ``changes`` (e.g. queued again); a row
    whose holder renewed meanwhile does not match. Returns how many were freed."""
    return lapsed(queryset, now).update(lease_until=None, lease_holder="", **changes)


# --- recovery: the worker's periodic pass ----------------------------------------------------

RECOVERERS: dict[str, Callable[[dt.datetime], int]] = {}


def recoverer(func: Callable[[dt.datetime], int]) -> Callable[[dt.datetime], int]:
    """Register ``func(now) -> jobs recovered``, which finds its jobs whose lease lapsed and
    queues them again (or gives up on one that killed its worker too often)."""
    RECOVERERS[f"{func.__module__}.{func.__name__}"] = func
    return func


def recover(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    found = {}
    for name, func in RECOVERERS.items():
        try:
            count = func(now)
        except Exception:  # one kind's failure must not keep the others stuck
            logger.exception("recovering %s failed", name)
            continue
        if count:
            found[name] = count
            logger.warning("%s: %d job(s) whose worker stopped were queued again", name, count)
    return found
