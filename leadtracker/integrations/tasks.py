import datetime as dt
import logging

from django.utils.translation import gettext_noop
from django_tasks import task

from leadtracker.integrations import health, registry
from leadtracker.integrations.actions import process_payload_job  # noqa: F401 — queued under actions' name
from leadtracker.integrations.models import Connector
from leadtracker.integrations.registry import MappingError
from leadtracker.lib.periodic import periodic
from leadtracker.lib.stored_text import english, recipe_of, recording, stored

log = logging.getLogger(__name__)


@periodic(every=dt.timedelta(minutes=1))
@task()
def poll_connectors() -> int:
    """Pull connectors (IndiaMART's API): each active one is offered a turn every minute; the
    provider decides from its cursor whether it is time to ask. One connector's failure is its
    own (kept on its health panel), never the others'."""
    kinds = [kind for kind, provider in registry.providers().items() if provider.poll is not None]
    logged = 0
    for connector in Connector.objects.filter(kind__in=kinds, is_active=True).select_related("organisation"):
        try:
            # recording(): the error a poller raises in gettext's words keeps its recipe, so the
            # health panel reads it in its reader's language (lib/stored_text.py).
            with recording():
                logged += registry.get(connector.kind).poll(connector) or 0
        except MappingError as exc:
            _note(connector, exc.args[0] if exc.args else "")
        except Exception as exc:  # noqa: BLE001 — one connector's bug must not stop the others
            log.exception("polling connector %s failed", connector.pk)
            _note(connector, stored(gettext_noop("internal error (%(kind)s)"), kind=type(exc).__name__))
    return logged


def _note(connector: Connector, words) -> None:
    """The connector's last error: its English for the record, and what to say for the panel
    (words without a recipe, put together without gettext, are shown as they are)."""
    said = words if isinstance(words, dict) else recipe_of(words) or {}
    health.note_error(connector, english(said) if said else str(words), said=said)
