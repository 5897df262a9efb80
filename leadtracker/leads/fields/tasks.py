from django_tasks import task

from leadtracker.leads.fields.indexes import ensure_index


@task()
def index_custom_field(key: str) -> bool:
    """Queued when a field is made (fields/actions.py): CREATE INDEX CONCURRENTLY cannot run
    inside the request's transaction, and takes seconds at a million leads."""
    return ensure_index(key)
