from django.core.management.base import BaseCommand, CommandError

from leadtracker.lib.errors import ActionError
from leadtracker.privacy.retention.purge import purge


class Command(BaseCommand):
    help = "Remove data past its retention period; --dry-run only counts what would go."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="organisation slug (default: all, and finished task results)")
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *, org, dry_run, **options):
        try:
            report = purge(org_slug=org, dry_run=dry_run)
        except ActionError as exc:
            raise CommandError(f"--org: {exc}") from None
        verb = "would go" if dry_run else "went"
        for slug, counts in report.items():
            label = "all organisations" if slug == "*" else slug
            self.stdout.write(f"{label}:")
            for kind, n in counts.items():
                self.stdout.write(f"  {kind}: {n} {verb}")
