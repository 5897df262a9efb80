import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from leadtracker.accounts.scheduler import fire_due_jobs, load_jobs
from leadtracker.accounts.workers import Presence
from leadtracker.lib import leases, uploads


class Command(BaseCommand):
    help = "Run queued background tasks and fire the periodic jobs (Ctrl+C to stop)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="seconds to sleep when there is nothing to do (default 2)",
        )
        parser.add_argument(
            "--once", action="store_true", help="fire due jobs, run every queued task, then exit"
        )

    def handle(self, *, interval, once, verbosity, **options):
        self.stopping = False

        def stop(signum, frame):
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # The backend's worker logs every empty batch; we run one every few seconds, so keep
        # only its warnings unless asked for more. Task start/finish lines still show.
        logging.getLogger("django_tasks_db").setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING)
        load_jobs()  # every app's periodic jobs and lease recoverers
        # What a killed process left behind: spooled uploads, half-written export files.
        uploads.remove_leftovers()
        presence = Presence().start()
        if verbosity:
            self.stdout.write("LeadTracker worker started")
        next_recovery = 0.0
        while not self.stopping:
            close_old_connections()
            fire_due_jobs()  # logs each job it enqueues
            if time.monotonic() >= next_recovery:
                # Jobs whose worker died (their lease lapsed) are queued again to resume, and
                # the tasks such a worker left RUNNING are closed.
                leases.recover()
                next_recovery = time.monotonic() + leases.heartbeat_seconds()
            # The database backend's worker in batch mode: take tasks with row locks
            # (SKIP LOCKED on PostgreSQL) until none is left, then return to us.
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                # The tasks it claims are signed with the holder of its presence row.
                worker_id=leases.holder(),
                excluded_queue_names=[],
            ).run()
            if once:
                break
            slept = 0.0
            while slept < interval and not self.stopping:
                time.sleep(0.2)
                slept += 0.2
        presence.stop()
        if verbosity:
            self.stdout.write("LeadTracker worker stopped")
