"""A queued task's row names its function by path (DBTaskResult.task_path), and the worker finds
the task by that path. Tasks queued before their function moved beside what queues it (issue 16)
name leadtracker.leads.tasks: that path still leads to the same task, so they still run."""

import pytest
from django_tasks_db.models import DBTaskResult

from leadtracker.leads.imports.jobs import run_import
from leadtracker.leads.webhooks import send_due_webhooks

MOVED = {
    "leadtracker.leads.tasks.run_import": run_import,
    "leadtracker.leads.tasks.send_due_webhooks": send_due_webhooks,
}


@pytest.mark.django_db
@pytest.mark.parametrize("old_path", sorted(MOVED))
def test_a_task_queued_under_its_old_path_still_runs_its_function(old_path):
    task = MOVED[old_path]
    queued = task.enqueue(0) if task.func.__code__.co_argcount else task.enqueue()
    DBTaskResult.objects.filter(pk=queued.id).update(task_path=old_path)
    row = DBTaskResult.objects.get(pk=queued.id)
    assert row.task.func is task.func
    assert task.module_path != old_path
