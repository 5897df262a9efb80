"""A worker's presence: while it lives it holds a lease on a row of its own and signs the
tasks it runs with it; the tasks a killed worker left RUNNING are closed once that lease
lapses (issue 15 item 2; the kill itself: leads/tests/test_import_resume.py). A real worker's
signature and the presence it leaves behind (none): test_worker.py, in its one worker process."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.models import PeriodicJobRun
from leadtracker.accounts.tasks import send_email
from leadtracker.accounts.workers import close_tasks_of_stopped_workers, presence_name


def presence(holder, seconds):
    return PeriodicJobRun.objects.create(
        name=presence_name(holder),
        last_run_at=timezone.now(),
        lease_holder=holder,
        lease_until=timezone.now() + dt.timedelta(seconds=seconds),
    )


def task_of(holder, status="RUNNING"):
    from django_tasks_db.models import DBTaskResult

    result = send_email.enqueue("Hello", "Body", ["someone@example.in"])
    DBTaskResult.objects.filter(pk=result.id).update(status=status, worker_ids=[holder])
    return DBTaskResult.objects.get(pk=result.id)


def test_the_tasks_of_a_worker_whose_presence_lapsed_are_closed(db):
    dead, alive = "gone:4242:0badf00d", "alive:1:cafe"
    presence(dead, seconds=-1)
    presence(alive, seconds=60)
    orphan, live, done = task_of(dead), task_of(alive), task_of(dead, status="SUCCESSFUL")
    assert close_tasks_of_stopped_workers(timezone.now()) == 1
    for task in (orphan, live, done):
        task.refresh_from_db()
    assert orphan.status == "FAILED" and orphan.finished_at is not None
    assert orphan.exception_class_path == "leadtracker.accounts.workers.WorkerStopped"
    assert dead in orphan.traceback and "stopped before it ended" in orphan.traceback
    assert (live.status, done.status) == ("RUNNING", "SUCCESSFUL")
    assert list(PeriodicJobRun.objects.filter(name__startswith="worker.").values_list("name", flat=True)) == [
        presence_name(alive)
    ]
    assert close_tasks_of_stopped_workers(timezone.now()) == 0
