from django.core.management.base import BaseCommand, CommandError

from leadtracker.accounts import actions
from leadtracker.accounts.views import set_password_link
from leadtracker.lib.errors import ActionError


class Command(BaseCommand):
    help = "Create an organisation and its owner (an existing user becomes the owner as they are)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", default="")
        parser.add_argument(
            "--password", help="the new owner's password; without it, they use password reset"
        )
        parser.add_argument("--time-zone", default="Asia/Kolkata")
        parser.add_argument("--phone-region", default="IN")
        parser.add_argument("--currency", default="INR")

    def handle(
        self, *, name, slug, owner_email, owner_name, password, time_zone, phone_region, currency, **options
    ):
        try:
            org, owner = actions.create_organisation(
                name=name,
                slug=slug,
                owner_email=owner_email,
                owner_name=owner_name,
                password=password,
                time_zone=time_zone,
                phone_region=phone_region,
                currency=currency,
            )
        except ActionError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from None
        self.stdout.write(f"Created organisation {org.slug} (id {org.pk}) owned by {owner.user.email}")
        if not owner.user.has_usable_password():
            self.stdout.write(f"The owner sets a password here (valid 24 h): {set_password_link(owner.user)}")
