import datetime as dt
import logging

from django_tasks import task

from leadtracker.integrations import health, registry
from leadtracker.integrations.actions import process_payload_job  # noqa: F401 — queued under actions' name
from leadtracker.integrations.models import Connector
from leadtracker.integrations.registry import MappingError
from leadtracker.lib.periodic import periodic

log = logging.getLogger(__name__)


@periodic(every=dt.timedelta(minutes=1))
@task()
def poll_connectors() -> int:
    """Pull connectors (IndiaMART's API): each active one is offered a turn every minute; the
    provider decides from its cursor whether it is time to ask. One connector's failure is its
    own (kept on its health panel), never the others'."""
    kinds = [kind for kind, provider in registry.providers().items() if provider.poll is not None]
    stored = 0
    for connector in Connector.objects.filter(kind__in=kinds, is_active=True).select_related("organisation"):
        try:
            stored += registry.get(connector.kind).poll(connector) or 0
        except MappingError as exc:
            health.note_error(connector, str(exc))
        except Exception as exc:  # noqa: BLE001 — one connector's bug must not stop the others
            log.exception("polling connector %s failed", connector.pk)
            health.note_error(connector, f"internal error ({type(exc).__name__})")
    return stored
