from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from leadtracker.privacy.erasure.replay import replay_erasures
from leadtracker.privacy.retention.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database with a backup, then replay the erasure ledger so that nobody "
        "erased since the backup comes back."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by `leadtracker backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing the database")

    def handle(self, *, path, yes, **options):
        if not yes:
            answer = input(
                "This replaces everything in the database with the backup. Type 'restore' to go on: "
            )
            if answer.strip().lower() != "restore":
                raise CommandError("not restored: the answer was not 'restore'")
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(f"path: {exc}") from None
        self.stdout.write(f"Restored {path}.")
        # An older backup has an older schema: brought up to date before the replay reads it.
        call_command("migrate", interactive=False, verbosity=0)
        result = replay_erasures()
        self.stdout.write(
            "Erasures replayed: {leads} leads, {members} members, {calls} stray calls "
            "({entries} ledger entries, {rows_restored} rows restored to the table, "
            "{lines_appended} lines added to the file).".format(**result)
        )
        if result["other_key"]:
            self.stderr.write(
                f"{result['other_key']} ledger entries were made with another key and could not be matched."
            )
