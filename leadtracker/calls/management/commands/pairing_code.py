from django.core.management.base import BaseCommand, CommandError

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership
from leadtracker.calls.actions import create_pairing_code


class Command(BaseCommand):
    help = "Make a pairing code for a member's phone; the code is the last word of the output."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--email", required=True)

    def handle(self, *, org, email, **options):
        member = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__slug=org.strip().lower(), user__email=email.strip().lower(), is_active=True)
            .first()
        )
        if member is None:
            raise CommandError(f"--email: {email} is not an active member of {org!r}")
        code, raw = create_pairing_code(member, actor=Actor.system(), by=None)
        self.stdout.write(
            f"Pairing code for {member.user.email}, valid until {code.expires_at:%H:%M} UTC: {raw}"
        )
