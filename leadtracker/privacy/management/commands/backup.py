from django.core.management.base import BaseCommand, CommandError

from leadtracker.privacy.retention.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = "Copy the database consistently while the application runs (SQLite online backup, pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="where to write it (default: var/backups/leadtracker-<time>.*)")

    def handle(self, *, out, **options):
        try:
            written = backup(out or default_path())
        except (BackupError, OSError) as exc:
            raise CommandError(f"--out: {exc}" if isinstance(exc, OSError) else str(exc)) from None
        self.stdout.write(f"Backup written to {written} ({written.stat().st_size:,} bytes).")
