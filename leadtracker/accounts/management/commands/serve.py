"""`leadtracker serve`: the production web server (gunicorn) with settings that suit this app.

The command prepares and then replaces itself with gunicorn (exec), so systemd's signals reach
gunicorn's master directly: SIGTERM stops gracefully, SIGHUP reloads the code with new workers.
"""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from leadtracker.lib import database, uploads

# Sync workers each hold one database connection; past this many a small box spends its memory
# on idle workers and PostgreSQL on idle connections (docs/scaling.md).
MAX_WORKERS = 12
# Connections besides the web workers': the background worker, a backup, an admin's psql.
OTHER_CONNECTIONS = 3


def default_workers(cores: int | None = None) -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, capped."""
    cores = cores or os.cpu_count() or 1
    return min(2 * cores + 1, MAX_WORKERS)


def connections_warning(workers: int, limit: int | None) -> str | None:
    """What to say when the workers' connections do not fit in what PostgreSQL allows."""
    # Every worker keeps its database connection between requests (settings.py: DATABASES),
    # so the workers hold this many at once, and the rest of LeadTracker needs its own.
    needed = workers + OTHER_CONNECTIONS
    if limit is None or needed <= limit:
        return None
    return (
        f"{workers} workers keep {workers} database connections and the rest of LeadTracker "
        f"needs {OTHER_CONNECTIONS}: {needed} > the {limit} PostgreSQL allows "
        "(raise max_connections, use fewer --workers, or put PgBouncer in front)"
    )


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Serve the web application with gunicorn (access log on stdout). Ctrl+C or SIGTERM stops it."
    requires_system_checks = []  # `check` runs below, after the database question

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("LEADTRACKER_BIND", "127.0.0.1:8000"),
            help="address:port or unix:/path (default 127.0.0.1:8000, or LEADTRACKER_BIND)",
        )
        parser.add_argument(
            "--workers",
            type=positive,
            default=int(os.environ.get("WEB_CONCURRENCY", 0)) or default_workers(),
            help=f"worker processes (default 2 × cores + 1, at most {MAX_WORKERS}, or WEB_CONCURRENCY)",
        )
        parser.add_argument(
            "--timeout",
            type=positive,
            default=int(os.environ.get("WEB_TIMEOUT", 30)),
            help="seconds a request may take before its worker is restarted (default 30)",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="do not collect static files first (they are collected when DEBUG is off)",
        )

    def handle(self, *, bind, workers, timeout, no_collectstatic, **options):
        # Uploads spooled to disk by a server that was killed mid-request hold names and numbers.
        uploads.remove_leftovers()
        error = database.unreachable()
        if error is not None:
            # Workers without a database would answer every request with an error page: refuse
            # now, in one line that names the database (CommandError prints no traceback).
            where, why = database.describe(), database.one_line(error)
            raise CommandError(f"cannot start: the database ({where}) is unreachable: {why}")
        warning = connections_warning(workers, database.connection_limit())
        if warning:
            self.stderr.write(self.style.WARNING(warning))
        call_command("check", deploy=not settings.DEBUG)
        try:
            call_command("migrate", check_unapplied=True, verbosity=0)
        except SystemExit:
            # Serving an older schema fails on some pages only: say it loudly, do not refuse,
            # so a rolling upgrade (migrate while the old code serves) stays possible.
            self.stderr.write(
                self.style.WARNING(
                    "Unapplied migrations: run `leadtracker migrate` (pages may fail until then)"
                )
            )
        if not settings.DEBUG and not no_collectstatic:
            # The manifest storage serves hashed names; without a fresh manifest pages fail.
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed (pip install -r requirements.txt)")
        argv = [
            gunicorn,
            "leadtracker.wsgi:application",
            f"--bind={bind}",
            f"--workers={workers}",
            f"--timeout={timeout}",
            # On SIGTERM or SIGHUP a worker finishes the requests it has before it goes.
            f"--graceful-timeout={timeout}",
            "--keep-alive=5",
            # A worker is replaced after this many requests: a slow leak cannot grow for ever.
            "--max-requests=2000",
            "--max-requests-jitter=200",
            "--access-logfile=-",
            "--error-logfile=-",
            # Signals are the interface (systemd); a control socket at one fixed path in the
            # home directory would be shared by every instance on the machine.
            "--no-control-socket",
            # The path without its query: a query carries what must never reach a log (a
            # search for a phone number, Exotel's Passthru with its RecordingUrl).
            "--access-logformat=" + '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"',
            # gunicorn trusts X-Forwarded-* only from these (the TLS proxy on this host by default),
            # the same list the client's address is read with (lib.http.client_ip).
            f"--forwarded-allow-ips={','.join(settings.FORWARDED_ALLOW_IPS)}",
        ]
        # Heartbeat files on tmpfs: a slow disk cannot make the master kill healthy workers.
        # gunicorn creates them with mkstemp (unique, 0600), so a shared directory is safe.
        shm = "/dev/shm"  # noqa: S108
        if os.path.isdir(shm):
            argv.append(f"--worker-tmp-dir={shm}")
        self.stdout.write(f"Serving on {bind} with {workers} workers (timeout {timeout} s)")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadtracker.settings")
        # No shell: a fixed program and an argument list; the values are ours or validated above.
        os.execv(gunicorn, argv)  # noqa: S606
