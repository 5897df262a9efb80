"""`leadtracker privacy erase` and `leadtracker privacy replay-erasures`: erasure for operators.

Registered in privacy/management/commands/privacy.py beside the other privacy subcommands.
"""

from django.core.management.base import CommandError

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Organisation
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone
from leadtracker.privacy import selectors
from leadtracker.privacy.erasure.actions import erase_lead, lead_erasure_preview
from leadtracker.privacy.erasure.replay import replay_erasures


def _organisation(slug):
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise CommandError(f"--org: no organisation with slug {slug!r}")
    return org


def _lead_by(org, phone, email):
    if phone:
        try:
            lead = selectors.lead_by_phone(org, phone)
        except InvalidPhone as exc:
            raise CommandError(f"--phone: {exc}") from None
        if lead is None:
            raise CommandError(f"--phone: no lead of {org.slug} has this number")
        return lead
    lead = selectors.lead_by_email(org, email)
    if lead is None:
        raise CommandError(f"--email: no lead of {org.slug} has this e-mail address")
    return lead


HELD_EXIT = 3


# --- erase ---------------------------------------------------------------------------------------


def add_erase(parser):
    parser.add_argument("--org", required=True, help="organisation slug")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--phone", help="one of the lead's numbers, in any format")
    who.add_argument("--email", help="the lead's e-mail address (any case)")
    parser.add_argument("--yes", action="store_true", help="erase without asking")


def run_erase(command, *, org, phone, email, yes, **options):
    organisation = _organisation(org)
    lead = _lead_by(organisation, phone, email)
    if lead.erased_at is not None:
        command.stdout.write(f"Lead {lead.pk} was already erased on {lead.erased_at:%Y-%m-%d}.")
    preview = lead_erasure_preview(lead)
    command.stdout.write(f"Erasing lead {lead.pk} of {organisation.slug} changes:")
    for kind, n in sorted(preview.items()):
        command.stdout.write(f"  {kind}: {n}")
    if not yes:
        answer = input("Erase this person's data for good? Type 'erase' to go on: ")
        if answer.strip().lower() != "erase":
            raise CommandError("not erased: the answer was not 'erase'")
    try:
        counts = erase_lead(lead, actor=Actor.system())
    except ActionError as exc:
        # A legal hold (409) exits 3, so scripts can tell "not allowed now" from a mistake.
        raise CommandError(
            f"{exc.field or 'lead'}: {exc.message}", returncode=HELD_EXIT if exc.status_code == 409 else 1
        ) from None
    command.stdout.write(command.style.SUCCESS(f"Erased lead {lead.pk}: {sum(counts.values())} changes."))


# --- replay-erasures -------------------------------------------------------------------------------


def add_replay(parser):
    parser.add_argument("--org", help="organisation slug (default: all)")


def run_replay(command, *, org, **options):
    try:
        result = replay_erasures(org_slug=org)
    except ActionError as exc:
        raise CommandError(f"--{exc.field}: {exc.message}") from None
    for key in ("entries", "rows_restored", "lines_appended", "leads", "members", "calls"):
        command.stdout.write(f"{key.replace('_', ' ')}: {result[key]}")
    if result["other_key"]:
        command.stderr.write(
            f"{result['other_key']} ledger entries were made with another key (ERASURE_LEDGER_KEY or "
            "SECRET_KEY changed) and could not be matched"
        )
