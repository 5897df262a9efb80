"""`leadtracker privacy export`: an access export written straight to a file, for operators.

Registered in privacy/management/commands/privacy.py beside the other privacy subcommands.
"""

from pathlib import Path

from django.core.management.base import CommandError

from leadtracker.accounts.models import Membership, Organisation
from leadtracker.lib.phones import InvalidPhone, normalise
from leadtracker.privacy import selectors
from leadtracker.privacy.export.actions import export_to_file


def add_export(parser):
    parser.add_argument("--org", required=True, help="organisation slug")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--phone", help="a lead's or member's number, in any format")
    who.add_argument("--email", help="a lead's or member's e-mail address (any case)")
    parser.add_argument(
        "--kind",
        choices=["lead", "member"],
        help="whom to export when a lead and a member both have the number or address",
    )
    parser.add_argument("--out", required=True, help="the zip to write, e.g. person.zip")


def find_person(org, *, phone=None, email=None, kind=None):
    """(lead, member) for a number or an address; CommandError naming the option otherwise."""
    option = "--phone" if phone else "--email"
    if phone:
        try:
            e164 = normalise(phone, org.phone_region)
        except InvalidPhone as exc:
            raise CommandError(f"--phone: {exc}") from None
        lead = selectors.lead_by_phone(org, e164)
        member = Membership.objects.filter(organisation=org, user__phone=e164).select_related("user").first()
    else:
        lead = selectors.lead_by_email(org, email)
        member = (
            Membership.objects.filter(organisation=org, user__email__iexact=email.strip())
            .select_related("user")
            .first()
        )
    if kind == "lead":
        member = None
    elif kind == "member":
        lead = None
    if lead is None and member is None:
        whom = f"no {kind}" if kind else "no lead and no member"
        what = "number" if phone else "e-mail address"
        raise CommandError(f"{option}: {whom} of {org.slug} has this {what}")
    if lead is not None and member is not None:
        raise CommandError(
            f"{option}: lead {lead.pk} and member {member.pk} both have it; add --kind lead or --kind member"
        )
    return lead, member


def run_export(command, *, org, phone, email, kind, out, **options):
    organisation = Organisation.objects.filter(slug=(org or "").strip().lower()).first()
    if organisation is None:
        raise CommandError(f"--org: no organisation with slug {org!r}")
    out_path = Path(out)
    if out_path.suffix.lower() != ".zip":
        raise CommandError("--out: give a file name ending in .zip")
    if not out_path.parent.is_dir():
        raise CommandError(f"--out: the folder {str(out_path.parent)!r} does not exist")
    lead, member = find_person(organisation, phone=phone, email=email, kind=kind)
    counts = export_to_file(organisation, out_path, lead=lead, member=member)
    whom = f"lead {lead.pk}" if lead is not None else f"member {member.pk}"
    command.stdout.write(f"Wrote {out_path}: everything held about {whom} of {organisation.slug}.")
    for name, n in counts.items():
        if n:
            command.stdout.write(f"  {name}: {n}")
