"""`leadtracker privacy <subcommand>`: the privacy center from the command line.

Each subcommand is one function (``add_<name>`` for its options, ``run_<name>`` for its work),
registered in SUBCOMMANDS; each lives with its sub-feature (privacy/erasure/command.py,
privacy/export/command.py).
"""

from django.core.management.base import BaseCommand

from leadtracker.privacy.erasure.command import add_erase, add_replay, run_erase, run_replay
from leadtracker.privacy.export.command import add_export, run_export

SUBCOMMANDS = {
    "erase": (add_erase, run_erase, "erase a lead's personal data (asks first unless --yes)"),
    "replay-erasures": (add_replay, run_replay, "erase again whoever the ledger says was erased"),
    "export": (add_export, run_export, "write everything held about a lead or member to a zip"),
}


class Command(BaseCommand):
    help = "Privacy center tasks: " + ", ".join(SUBCOMMANDS)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, (add, _run, text) in SUBCOMMANDS.items():
            add(sub.add_parser(name, help=text))

    def handle(self, *args, subcommand, **options):
        _add, run, _text = SUBCOMMANDS[subcommand]
        run(self, **options)
