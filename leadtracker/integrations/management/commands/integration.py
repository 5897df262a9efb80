"""`leadtracker integration add|list`: connectors from the command line.

``add`` prints, as its last line, a JSON object with the connector's ``id``, what to paste into
the provider (``webhook_url`` for a lead source, ``status_callback_url`` for telephony) and any
secret it generated (shown this once)."""

import json

from django.core.management.base import BaseCommand, CommandError

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Organisation
from leadtracker.integrations import registry
from leadtracker.integrations.actions import add_connector
from leadtracker.integrations.models import Connector
from leadtracker.integrations.selectors import urls_for
from leadtracker.lib.errors import ActionError


def _organisation(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug.strip().lower()).first()
    if org is None:
        raise CommandError(f"--org: no organisation {slug!r}")
    return org


def _options(pairs: list[str]) -> dict:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--option: {pair!r} is not KEY=VALUE")
        options[key.strip()] = value
    return options


class Command(BaseCommand):
    help = "Add a connector (prints its URL and generated secrets as JSON, last line) or list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        add = sub.add_parser("add", help="add a connector")
        add.add_argument("--org", required=True, help="organisation slug")
        add.add_argument(
            "--kind", required=True, help="facebook, google-ads, indiamart, justdial, webhook, …"
        )
        add.add_argument("--name", default="", help="its name in the settings (default: the provider's)")
        add.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
        listing = sub.add_parser("list", help="list an organisation's connectors")
        listing.add_argument("--org", required=True, help="organisation slug")
        listing.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, subcommand, **options):
        if subcommand == "add":
            self.add(**options)
        else:
            self.list(**options)

    def add(self, *, org, kind, name, option, **_):
        organisation = _organisation(org)
        try:
            connector, generated = add_connector(
                organisation,
                kind=kind.strip().lower(),
                name=name,
                options=_options(option),
                actor=Actor.system(),
            )
        except ActionError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}" if exc.field else exc.message) from None
        self.stderr.write(
            f"{connector.name} added to {organisation.slug}; generated secrets are shown only now."
        )
        self.stdout.write(
            json.dumps({"id": connector.pk, "kind": connector.kind, **urls_for(connector), **generated})
        )

    def list(self, *, org, json: bool = False, **_):
        organisation = _organisation(org)
        connectors = Connector.objects.filter(organisation=organisation).order_by("pk")
        for c in connectors:
            row = {
                "id": c.pk,
                "kind": c.kind,
                "name": c.name,
                "active": c.is_active,
                **urls_for(c),
                "last_received_at": c.last_received_at.isoformat() if c.last_received_at else None,
                "last_error": c.last_error,
            }
            if json:
                self.stdout.write(_dumps(row))
            else:
                state = "on " if c.is_active else "off"
                provider = registry.get(c.kind)
                label = provider.label if provider else c.kind
                self.stdout.write(
                    f"{c.pk:>5}  {state}  {label:<28} {c.name}  {next(iter(urls_for(c).values()))}"
                )
        if not connectors and not json:
            self.stderr.write(f"{organisation.slug} has no connectors.")


_dumps = json.dumps
