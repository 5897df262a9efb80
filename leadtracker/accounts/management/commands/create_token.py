from django.core.management.base import BaseCommand, CommandError

from leadtracker.accounts import actions
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Membership
from leadtracker.lib.errors import ActionError


class Command(BaseCommand):
    help = "Create a personal API token for a member; prints the token once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="what the token is for")

    def handle(self, *, org, email, name, **options):
        member = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__slug=org.strip().lower(), user__email=email.strip().lower())
            .first()
        )
        if member is None:
            raise CommandError(f"--email: {email} is not a member of organisation {org!r}")
        if not member.is_active:
            raise CommandError(f"--email: {email} is deactivated in {org!r}")
        try:
            token, raw = actions.create_api_token(member, name=name, actor=Actor.system())
        except ActionError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}") from None
        self.stderr.write(f"Token {token.prefix}… for {member.user.email} in {org}; it is shown only now:")
        self.stdout.write(raw)
