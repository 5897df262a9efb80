"""The lead list's active filters as chips ("Status: New ×", "Budget from 40 lakh ×"), each a
link to the same list without that filter: a filtered list says it is filtered, on a phone
too where the filter sheet is closed. Built-in filters and custom ones (cf_<key>…)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadtracker.leads.fields.models import CustomField
from leadtracker.lib.formats import day

FOLLOW_UPS = {
    "overdue": gettext_lazy("Overdue"),
    "today": gettext_lazy("Today"),
    "week": gettext_lazy("Next 7 days"),
}


def _without(query, *names) -> str:
    q = query.copy()
    for name in names:
        q.pop(name, None)
    q.pop("cursor", None)
    return q.urlencode()


def _builtin(query, f: dict, choices: dict) -> list[dict]:
    out = []
    lookups = (
        ("status", _("Status"), choices["status_choices"], lambda s: s.name),
        ("source", _("Source"), choices["source_choices"], lambda s: s.name),
        ("tag", _("Tag"), choices["tag_choices"], lambda t: t.name),
        ("owner", _("Owner"), choices["owner_choices"], lambda m: str(m.user)),
        ("team", _("Team"), choices["team_choices"], lambda m: _("%s's team") % m.user),
    )
    for name, label, items, show in lookups:
        if f.get(name):
            if name == "owner":  # owner filters by the user's id
                shown = next((show(m) for m in items if m.user_id == f[name]), None)
            else:
                shown = next((show(i) for i in items if i.pk == f[name]), None)
            out.append({"name": name, "text": f"{label}: {shown or _('someone')}"})
    if f.get("follow_up"):
        out.append({"name": "follow_up", "text": _("Follow-up: %s") % FOLLOW_UPS[f["follow_up"]]})
    for name, label in (("created_from", _("Created from %s")), ("created_to", _("Created to %s"))):
        if f.get(name):
            out.append({"name": name, "text": label % day(f[name])})
    if f.get("unassigned"):
        out.append({"name": "unassigned", "text": _("Unassigned")})
    return out


def _custom(query, fields: list[CustomField]) -> list[dict]:
    out = []
    for fld in fields:
        low, high = query.get(f"cf_{fld.key}_from", ""), query.get(f"cf_{fld.key}_to", "")
        if low or high:
            words = " ".join(p for p in (low and _("from %s") % low, high and _("to %s") % high) if p)
            names = (f"cf_{fld.key}_from", f"cf_{fld.key}_to")
            out.append({"names": names, "text": f"{fld.label} {words}", "field": fld})
        if query.get(f"cf_{fld.key}"):
            value = query[f"cf_{fld.key}"]
            text = f"{fld.label}: {_('not filled in') if value == '-' else value}"
            out.append({"names": (f"cf_{fld.key}",), "text": text, "field": fld})
    return out


def filtered_fields(query, fields: list[CustomField]) -> list[CustomField]:
    """The custom fields the list is filtered on: their values show on the cards, so a card
    filtered by budget shows the budget, not only the lead's Value."""
    seen = []
    for chip in _custom(query, fields):
        if chip["field"] not in seen:
            seen.append(chip["field"])
    return seen


def list_chips(query, f: dict, choices: dict, fields: list[CustomField]) -> dict:
    """{"chips": [{"text", "remove" (the query without it)}], "active_filters": how many}."""
    builtin = _builtin(query, f, choices)
    chips = [{"text": chip["text"], "remove": _without(query, chip["name"])} for chip in builtin]
    chips += [
        {"text": chip["text"], "remove": _without(query, *chip["names"])} for chip in _custom(query, fields)
    ]
    return {"chips": chips, "active_filters": len(chips)}
