from django.conf import settings
from django.core.management.base import BaseCommand

from leadtracker.accounts.demo import load_demo, logins


class Command(BaseCommand):
    help = "Load the demo organisation (slug 'demo') if it is missing, and print its logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo organisation and load it anew"
        )

    def handle(self, *, reset, **options):
        org, created = load_demo(reset=reset)
        state = "created" if created else "already there"
        self.stdout.write(f"Demo organisation “{org.name}” ({org.slug}) {state}.")
        self.stdout.write(f"Open {settings.SITE_URL}/ and log in as any of these:")
        width = max(len(email) for email, _p, _r in logins())
        for email, password, role in logins():
            self.stdout.write(f"  {email:<{width}}  password: {password}   ({role})")
