"""Fires the periodic jobs that are due. Called by the worker on every loop."""

import importlib
import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from leadtracker.accounts.models import PeriodicJobRun
from leadtracker.lib.periodic import REGISTRY

logger = logging.getLogger(__name__)


def load_jobs() -> None:
    """Import every app's tasks module so their @periodic registrations run."""
    for config in apps.get_app_configs():
        if config.name.startswith("leadtracker."):
            try:
                importlib.import_module(f"{config.name}.tasks")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tasks":
                    raise


def fire_due_jobs(now=None) -> list[str]:
    """Enqueue each job whose interval has passed since it last fired; returns their names."""
    load_jobs()
    now = now or timezone.now()
    fired = []
    for job in REGISTRY.values():
        with transaction.atomic():
            run, created = PeriodicJobRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"last_run_at": now}
            )
            if not created and run.last_run_at + job.every > now:
                continue
            run.last_run_at = now
            run.save(update_fields=["last_run_at"])
            job.task.enqueue()
        fired.append(job.name)
        logger.info("periodic job %s enqueued", job.name)
    return fired
