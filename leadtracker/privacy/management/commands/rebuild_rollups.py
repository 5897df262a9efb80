"""`leadtracker rebuild-rollups [--org SLUG] [--from DATE]`: recompute the roll-ups from the raw
calls, call-backs and shifts, a week at a time, printing progress, then recount the leads by
owner and status (the funnel's counts, which triggers keep). Safe to run again (each
chunk replaces its days) and while phones sync (the same per-person locks as the upkeep).

It lives in privacy, above reports, because it must respect retention: the days whose calls are
purged keep the only record they have in their roll-ups, and a rebuild never touches them."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from leadtracker.accounts.models import Organisation
from leadtracker.privacy.retention.purge import periods_of
from leadtracker.reports import rollups


def first_kept_day(org, today: dt.date) -> dt.date:
    """The oldest day whose calls retention has not purged, even in part. Older roll-ups hold
    the only record of those days (counts, no personal data), so a rebuild never touches them."""
    return today - dt.timedelta(days=periods_of(org)["call_record_days"] - 1)


class Command(BaseCommand):
    help = "Recompute the dashboards' roll-ups from the raw data (all organisations, or one)."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="organisation slug (default: every organisation)")
        parser.add_argument(
            "--from",
            dest="first",
            type=dt.date.fromisoformat,
            help="first day to rebuild, YYYY-MM-DD, organisation's time zone (default: the oldest day "
            "retention keeps whole)",
        )
        parser.add_argument("--chunk-days", type=int, default=7, help="days per transaction (default 7)")

    def handle(self, *, org, first, chunk_days, **options):
        if chunk_days < 1:
            raise CommandError("--chunk-days: at least 1")
        orgs = Organisation.objects.order_by("slug")
        if org:
            orgs = orgs.filter(slug=org)
            if not orgs.exists():
                raise CommandError(f"--org: no organisation with the slug {org!r}")
        for organisation in orgs:
            self._rebuild(organisation, first, chunk_days)

    def _rebuild(self, org, first, chunk_days):
        today = dt.datetime.now(org.tzinfo).date()
        kept = first_kept_day(org, today)
        if first is None:
            first = kept
        elif first < kept:
            self.stdout.write(
                f"{org.slug}: calls before {kept} are purged (in part); their roll-ups are kept, "
                f"rebuilding from {kept}"
            )
            first = kept
        if first > today:
            self.stdout.write(f"{org.slug}: nothing to rebuild after {today}")
            return
        total_days = (today - first).days + 1
        started = time.perf_counter()

        def progress(start, end, person_days):
            done = (end - first).days + 1
            self.stdout.write(
                f"{org.slug}: {start} to {end}: {person_days} person-days "
                f"({done}/{total_days} days, {done * 100 // total_days}%)"
            )

        written = rollups.rebuild(org, first, today, chunk_days=chunk_days, progress=progress)
        leads = rollups.recount_leads(org)
        self.stdout.write(
            f"{org.slug}: rebuilt {written} person-days from {first} to {today} and counted "
            f"{leads} leads in {time.perf_counter() - started:.1f} s"
        )
