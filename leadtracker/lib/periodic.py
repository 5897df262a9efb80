"""Periodic jobs: a registry of tasks that the worker enqueues on a schedule.

Apps register with ``@periodic(every=...)`` in their tasks.py; `leadtracker worker` fires
them. The last run is kept in the database, and a row lock decides who fires, so two
workers never run the same slot twice.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: object  # a django-tasks Task


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(*, every: dt.timedelta):
    def register(task):
        name = f"{task.func.__module__}.{task.func.__name__}"
        REGISTRY[name] = PeriodicJob(name=name, every=every, task=task)
        return task

    return register
