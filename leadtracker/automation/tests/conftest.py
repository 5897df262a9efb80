import pytest
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import Actor
from leadtracker.automation import tasks
from leadtracker.automation.actions import save_rule

QUEUED = {t.module_path: t for t in (tasks.run_event_rules, tasks.run_missed_call_rules)}


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """worker(fn) runs fn with its commit hooks, then the rule tasks they queued, as the worker
    would (by their queued rows), until none are left: rules set off by rules run too."""

    def run(fn=None):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn() if fn else None
        for _ in range(10):
            rows = list(DBTaskResult.objects.filter(task_path__in=list(QUEUED)).order_by("pk"))
            if not rows:
                break
            DBTaskResult.objects.filter(pk__in=[r.pk for r in rows]).delete()
            for row in rows:
                with django_capture_on_commit_callbacks(execute=True):
                    QUEUED[row.task_path].func(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        return result

    return run


@pytest.fixture
def rule():
    """rule(people, trigger, actions, **fields): a rule saved through the action, by Olga."""

    def make(people, trigger, actions, **fields):
        fields.setdefault("name", f"Rule {trigger}")
        return save_rule(
            people.org, trigger=trigger, actions=actions, actor=Actor.for_user(people.olga.user), **fields
        )

    return make
