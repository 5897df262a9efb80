from django.core.management.base import BaseCommand, CommandError

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership, Organisation
from leadtracker.leads.imports.importer import ON_DUPLICATE, import_file, summary_json
from leadtracker.leads.imports.mapping import NOBODY, RULES
from leadtracker.leads.imports.reader import UnreadableFile, open_table
from leadtracker.leads.imports.report import REPORT_HEADER, IssueReport
from leadtracker.lib.errors import ActionError
from leadtracker.lib.spreadsheet import CsvWriter


def _pairs(option: str, values: list[str]) -> dict[str, str]:
    """ "Junk Lead=Lost" pairs; the last '=' splits, so a value may hold one."""
    out = {}
    for text in values or []:
        value, sep, target = text.rpartition("=")
        if not sep or not value.strip() or not target.strip():
            raise CommandError(f"{option}: {text!r} is not VALUE=TARGET")
        out[value.strip()] = target.strip()
    return out


def _option(field: str) -> str:
    """The command's own words for a refused choice: `--map-status Hot`, not the API's
    `value_mapping.status.Hot`."""
    field = field or ""
    kind, _, value = field.removeprefix("value_mapping.").partition(".")
    if field.startswith("value_mapping.") and kind in ("status", "owner"):
        return f"--map-{kind} {value!r}"
    if field == "value_mapping.unknown_owner":
        return "--unknown-owner"
    return field or "FILE"


class Command(BaseCommand):
    # The system checks load every URL, view and API schema (about a second): nothing an
    # import uses, and `leadtracker check` runs them where they belong.
    requires_system_checks = []
    help = (
        "Import leads from a CSV or XLSX file. Errors and warnings go to stderr, one per line; "
        "the last line of output is a JSON summary {rows, created, updated, duplicates, errors, warnings}."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--owner", help="e-mail of the member who gets the leads")
        parser.add_argument("--source", default="", help="source for rows that name none")
        parser.add_argument("--on-duplicate", choices=ON_DUPLICATE, default="skip")
        parser.add_argument("--errors", help="write every error and warning, with the row, to this CSV")
        parser.add_argument(
            "--map-status",
            action="append",
            metavar="VALUE=STATUS",
            help='what a value of the status column becomes, e.g. "Junk Lead=Lost" (repeatable)',
        )
        parser.add_argument(
            "--map-owner",
            action="append",
            metavar="VALUE=EMAIL",
            help='whom a value of the owner column means: a member\'s e-mail, "rules" or "none", '
            'e.g. "Ravi Kumar=ravi@example.in" (repeatable)',
        )
        parser.add_argument(
            "--unknown-owner",
            choices=(RULES, NOBODY),
            default=RULES,
            help="an owner who is not a member: give the lead by the assignment rules, or leave it unowned",
        )

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
        value_mapping = {
            "status": _pairs("--map-status", options.get("map_status")),
            "owner": _pairs("--map-owner", options.get("map_owner")),
            "unknown_owner": options.get("unknown_owner") or RULES,
        }
        report = open(errors, "w", newline="", encoding="utf-8-sig") if errors else None  # noqa: SIM115
        writer = None
        if report:
            # The uploaded file's cells, repeated: formula-safe like every CSV we write.
            writer = CsvWriter(report)
            try:
                # The report repeats each row's cells under the file's own headings, as the
                # web's report does.
                table = open_table(file)
                writer.writerow([*REPORT_HEADER, *table.headers])
                table.close()
            except (OSError, UnreadableFile):
                writer.writerow(REPORT_HEADER)  # the import below says what is wrong with the file

        def sink(issue):
            value = f" {issue.value!r}" if issue.value and repr(issue.value) not in issue.reason else ""
            self.stderr.write(f"row {issue.row}: {issue.kind}: {issue.column}{value}: {issue.reason}")
            if writer:
                writer.writerow(IssueReport.line(issue))

        try:
            counts = import_file(
                organisation,
                file,
                actor=Actor.system(),
                owner=owner_user,
                source_name=source,
                on_duplicate=on_duplicate,
                issue_sink=sink,
                value_mapping=value_mapping,
            )
        except FileNotFoundError:
            raise CommandError(f"FILE: {file} does not exist") from None
        except UnreadableFile as exc:
            raise CommandError(f"FILE: {exc}") from None
        except ActionError as exc:
            raise CommandError(f"{_option(exc.field)}: {exc.message}") from None
        finally:
            if report:
                report.close()
        self.stdout.write(summary_json(counts))
