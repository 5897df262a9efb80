from django.core.management.base import BaseCommand, CommandError

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership, Organisation
from leadtracker.leads.importer import ON_DUPLICATE, import_file, summary_json
from leadtracker.leads.tabular import UnreadableFile
from leadtracker.lib.errors import ActionError


class Command(BaseCommand):
    help = "Import leads from a CSV or XLSX file. The last line of output is a JSON summary."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--owner", help="e-mail of the member who gets the leads")
        parser.add_argument("--source", default="", help="source for rows that name none")
        parser.add_argument("--on-duplicate", choices=ON_DUPLICATE, default="skip")
        parser.add_argument("--errors", help="write the rows that failed, with reasons, to this CSV")

    def handle(self, *, file, org, owner, source, on_duplicate, errors, **options):
        organisation = Organisation.objects.filter(slug=org.strip().lower()).first()
        if organisation is None:
            raise CommandError(f"--org: no organisation with slug {org!r}")
        owner_user = None
        if owner:
            member = (
                Membership.objects.filter(
                    organisation=organisation, user__email=owner.strip().lower(), is_active=True
                )
                .select_related("user")
                .first()
            )
            if member is None:
                raise CommandError(f"--owner: {owner} is not an active member of {org!r}")
            owner_user = member.user
        report = open(errors, "w", newline="", encoding="utf-8-sig") if errors else None  # noqa: SIM115
        writer = None
        if report:
            import csv

            writer = csv.writer(report)
            writer.writerow(["row", "field", "error"])

        def sink(row_number, field_name, message, cells):
            line = f"row {row_number}: {field_name}: {message}"
            self.stderr.write(line)
            if writer:
                writer.writerow([row_number, field_name, message, *cells])

        try:
            counts = import_file(
                organisation,
                file,
                actor=Actor.system(),
                owner=owner_user,
                source_name=source,
                on_duplicate=on_duplicate,
                error_sink=sink,
            )
        except FileNotFoundError:
            raise CommandError(f"FILE: {file} does not exist") from None
        except (UnreadableFile, ActionError) as exc:
            raise CommandError(f"FILE: {exc}") from None
        finally:
            if report:
                report.close()
        self.stdout.write(summary_json(counts))
