"""How many leads the leads page says match, from a count the database keeps when one answers.

The leads page counted its matches on every visit, up to COUNT_CAP + 1 rows (views/leads._count):
10,001 rows read at a million leads, 6-9 ms of PostgreSQL's time a page at load 16 (a sequential
read of the organisation's first 10,001 rows; 0.5 ms on SQLite) — most of the backend's share of
the page (issue 21). Reports keeps how many leads each owner has in each status (LeadCount, kept
by triggers on leads_lead in every write's own transaction), which answers the page's commonest
shapes: the whole organisation or an agent's own leads, with no filter, a status, an owner or
both. Reports registers its counter here at start-up (leads may not import reports); without
one, or for any other shape (a manager's team, a search, any other filter), the page counts live.
"""

from collections.abc import Callable

from leadtracker.accounts.models import Membership
from leadtracker.accounts.visibility import sees_unowned, sees_whole_organisation, visible_user_ids

# (organisation id, owner id or None for anyone, status id or None) -> how many leads.
COUNTERS: list[Callable[[int, int | None, int | None], int]] = []


def leads_counted(viewer: Membership, *, status: int | None, owner: int | None) -> int | None:
    """How many leads ``viewer`` sees with ``status`` and ``owner`` (None: any), or None when no
    kept count answers (then count them)."""
    if not COUNTERS:
        return None
    if not sees_whole_organisation(viewer):
        # Only someone who sees their own leads alone (accounts/visibility) is counted here; a
        # manager's team, their people's and nobody's, is counted live (asked first: reading a
        # manager's people is a statement).
        if sees_unowned(viewer) or visible_user_ids(viewer) != {viewer.user_id}:
            return None
        if owner and owner != viewer.user_id:
            return 0  # an agent sees no one else's
        owner = viewer.user_id
    return COUNTERS[0](viewer.organisation_id, owner or None, status or None)
