"""Which worker processes are alive, so that the tasks a killed one was running are closed.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when the
task returns; a worker killed in between (kill -9, out of memory, a power cut) leaves the row
RUNNING for ever, and nothing in the backend looks at it again. So each `leadtracker worker`
holds a lease (lib/leases.py) on a row of its own, "worker.<holder>" in PeriodicJobRun,
renewed by a thread for as long as the process lives, and signs the tasks it claims with the
same holder. The periodic pass finds rows whose lease lapsed and closes their workers' RUNNING
tasks as FAILED (WorkerStopped), saying why.

The jobs themselves do not wait for this: each holds a lease of its own and is resumed when
that lapses (leads.imports.jobs, privacy.export, leads.webhooks, reports.digest).
"""

import logging
import threading

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from leadtracker.accounts.models import PeriodicJobRun
from leadtracker.lib import leases

logger = logging.getLogger(__name__)

PREFIX = "worker."


class WorkerStopped(Exception):
    """The worker running a task stopped before the task ended (written as the task's error)."""


def presence_name(holder: str | None = None) -> str:
    return PREFIX + (holder or leases.holder())


class Presence:
    """This worker's row, renewed from a thread of its own (with its own connection) every
    heartbeat, whether or not a task is running: a long task cannot make a live worker look dead."""

    def __init__(self):
        self.name = presence_name()
        self.row = PeriodicJobRun.objects.filter(name=self.name)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="worker-presence", daemon=True)

    def start(self) -> "Presence":
        self._claim()
        self.thread.start()
        return self

    def _claim(self) -> None:
        PeriodicJobRun.objects.get_or_create(name=self.name, defaults={"last_run_at": timezone.now()})
        leases.take(self.row)

    def _beat(self) -> None:
        try:
            while not self.stopping.wait(leases.heartbeat_seconds()):
                # This thread keeps its connection between beats (DB_CONN_MAX_AGE): one the
                # database dropped, or one past its age, is replaced here as a request's would be.
                close_old_connections()
                try:
                    leases.renew(self.row)
                except leases.LeaseLost:
                    # Presumed dead (the database was out of reach for a whole lease, say) and
                    # swept: this worker is alive, so it says so again.
                    self._claim()
                except DatabaseError:
                    logger.warning("worker presence: no answer from the database", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)
        self.row.delete()


@leases.recoverer
def close_tasks_of_stopped_workers(now) -> int:
    """Close, as FAILED, the RUNNING tasks of workers whose presence lapsed; returns how many."""
    # django_tasks_db's models load only once the app registry is ready; this module is imported before
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stopped = list(leases.lapsed(PeriodicJobRun.objects.filter(name__startswith=PREFIX), now))
    if not stopped:
        return 0
    holders = {row.name[len(PREFIX) :] for row in stopped}
    closed = 0
    # Only when a worker died: RUNNING rows are few (one per live worker), the scan is rare.
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids"):
        holder = task.worker_ids[-1] if task.worker_ids else None
        if holder in holders:
            closed += DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
                traceback=(
                    f"The worker running this task ({holder}) stopped before it ended (killed, out of "
                    "memory or a power cut). A job it held is taken up again when its lease lapses.\n"
                ),
            )
    leases.lapsed(PeriodicJobRun.objects.filter(pk__in=[row.pk for row in stopped]), now).delete()
    return closed
