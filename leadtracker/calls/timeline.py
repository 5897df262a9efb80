"""Calls on a lead's timeline: read from the calls table when the page is built, never
copied into activities, so an outcome recorded later or an erasure shows at once."""

from leadtracker.calls.models import Call
from leadtracker.leads.models import Activity, ActivityKind
from leadtracker.leads.timeline import Branch


def _entries(lead, calls) -> list[Activity]:
    return [
        Activity(
            organisation_id=c.organisation_id,
            lead=lead,
            kind=ActivityKind.CALL,
            actor=c.user,
            at=c.started_at,
            body=c.note,
            data={
                "call_id": c.pk,
                "direction": c.direction,
                "status": c.status,
                "status_label": c.get_status_display(),
                "duration_s": c.duration_s,
                "outcome": c.outcome.name if c.outcome else "",
                "via": c.via,
            },
        )
        for c in calls
    ]


# The lead's calls as a branch of its timeline's one statement (leads/page_reads.py).
BRANCH = Branch(
    Call, order=(("started_at", True), ("id", True)), related=("user", "outcome"), entries=_entries
)
