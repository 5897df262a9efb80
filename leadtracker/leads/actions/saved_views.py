"""Saved views of the lead list: a person saves the list's filters, sort and columns under a
name, a manager shares one with their team, and everyone keeps their own choice of columns."""

import re
from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.models import SavedView
from leadtracker.lib.errors import ActionError, Conflict

# The list's columns a person may show on a desktop, in the table's order; the lead's name is
# always there.
COLUMNS = {
    "status": "Status",
    "follow_up": "Next follow-up",
    "owner": "Owner",
    "source": "Source",
    "value": "Value",
    "created": "Created",
}
DEFAULT_COLUMNS = ["status", "follow_up", "owner"]

# What a view keeps of the list's address: its filters and sort, never a page's cursor.
QUERY_KEYS = (
    "q",
    "status",
    "owner",
    "team",
    "source",
    "tag",
    "follow_up",
    "created_from",
    "created_to",
    "unassigned",
    "sort",
    "field",  # custom field filters, as the API's (leads/fields/filters.py)
)
NAME_MAX = 60


def _clean_query(pairs) -> str:
    # cf_<key>…: the filter sheet's custom field inputs.
    kept = [(k, v) for k, v in pairs if (k in QUERY_KEYS or k.startswith("cf_")) and v]
    return urlencode(kept)[:1000]


def _clean_columns(names) -> list[str]:
    chosen = set(names)
    # A custom field's column is fields.<key>; the list shows it while the field is there.
    custom = sorted(c for c in chosen if re.fullmatch(r"fields\.[a-z][a-z0-9_]{0,39}", c))
    return [c for c in COLUMNS if c in chosen] + custom


@transaction.atomic
def save_view(
    viewer: Membership, name: str, *, query: str, columns, shared: bool = False, actor: Actor
) -> SavedView:
    """Saves under the name, replacing the viewer's own view of that name."""
    name = (name or "").strip()
    if not name:
        raise ActionError(_("give the view a name"), field="name")
    if len(name) > NAME_MAX:
        raise ActionError(_("at most %s characters") % NAME_MAX, field="name")
    if shared and not viewer.has_role(Role.MANAGER):
        raise ActionError(_("only a manager can share a view with the team"), field="shared", status_code=403)
    view, created = SavedView.objects.update_or_create(
        organisation_id=viewer.organisation_id,
        owner_id=viewer.user_id,
        name=name,
        defaults={
            "query": _clean_query(parse_qsl(query)),
            "columns": _clean_columns(columns),
            "shared": shared,
        },
    )
    record(
        "saved_view.create" if created else "saved_view.update",
        organisation=viewer.organisation,
        actor=actor,
        obj=view,
        changes={"shared": shared, "columns": view.columns},
    )
    return view


def delete_view(viewer: Membership, view: SavedView, *, actor: Actor) -> None:
    if view.owner_id != viewer.user_id or view.organisation_id != viewer.organisation_id:
        raise Conflict(_("only the person who saved a view can delete it"), field="view")
    record("saved_view.delete", organisation=viewer.organisation, actor=actor, obj=view)
    view.delete()


def set_columns(viewer: Membership, columns, *, actor: Actor) -> list[str]:
    """The viewer's own choice of the list's columns (the row named "")."""
    chosen = _clean_columns(columns)
    if not chosen:
        raise ActionError(_("choose at least one column"), field="columns")
    view, _created = SavedView.objects.update_or_create(
        organisation_id=viewer.organisation_id, owner_id=viewer.user_id, name="", defaults={"columns": chosen}
    )
    record(
        "saved_view.columns",
        organisation=viewer.organisation,
        actor=actor,
        obj=view,
        changes={"columns": chosen},
    )
    return chosen
