"""What a rule may say, checked before it is saved, and the templates of common rules.

Conditions and actions are JSON on the rule (a new kind of either is a key here, not a column
and a migration); everything they name — statuses, sources, tags, outcomes, people, webhooks —
must be the organisation's own, so a rule can never reach into another organisation."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from leadtracker.accounts.models import Membership, Role
from leadtracker.automation.field_conditions import clean_field_conditions
from leadtracker.automation.models import TIME_BASED, Trigger
from leadtracker.calls.models import Outcome
from leadtracker.leads.models import FollowUpKind, LeadSource, LeadStatus, StatusKind, Tag, WebhookEndpoint
from leadtracker.lib.errors import ActionError

ACTION_TYPES = ("assign", "set_status", "follow_up", "add_tag", "remove_tag", "notify", "webhook")
# A chain of rules, each firing on what the one before did, stops here (rule A sets a status
# that fires rule B, which sets one that fires A …): a rule never fires on its own action at all.
MAX_DEPTH = 3
# The longest a time-based rule may wait: a year.
MAX_WAIT_MINUTES = 366 * 24 * 60


# Where an error is, in words, for the person at the rule editor ("Conditions → Source: no such
# source 12"); ``field`` keeps the JSON's own name for the API.
WORDS = {
    "source_ids": (gettext_lazy("Source"), gettext_lazy("source")),
    "status_ids": (gettext_lazy("Status"), gettext_lazy("status")),
    "tag_ids": (gettext_lazy("Tag"), gettext_lazy("tag")),
    "outcome_ids": (gettext_lazy("Call outcome"), gettext_lazy("call outcome")),
    "owner_ids": (gettext_lazy("Owner"), gettext_lazy("person")),
    "team_id": (gettext_lazy("Team"), gettext_lazy("team")),
    "outcome_times": (gettext_lazy("Times"), ""),
    "hours": (gettext_lazy("Hours"), ""),
    "on_shift": (gettext_lazy("On shift"), ""),
    "fields": (gettext_lazy("Custom field"), ""),
    "user_id": (gettext_lazy("Assign to"), gettext_lazy("person")),
    "status_id": (gettext_lazy("Status"), gettext_lazy("status")),
    "in_days": (gettext_lazy("Follow-up in"), ""),
    "at": (gettext_lazy("Follow-up at"), ""),
    "kind": (gettext_lazy("Follow-up kind"), ""),
    "tag": (gettext_lazy("Tag"), ""),
    "to": (gettext_lazy("Tell"), ""),
    "endpoint_id": (gettext_lazy("Webhook"), gettext_lazy("webhook")),
    "type": (pgettext_lazy("a rule's action", "Type"), ""),
}
HEADS = {"conditions": gettext_lazy("Conditions"), "actions": gettext_lazy("Actions")}


def where(field: str) -> str:
    """ "conditions.source_ids" → "Conditions → Source"; "actions[0].user_id" → "Action 1 → Assign to"."""
    head, _dot, key = field.partition(".")
    if head.startswith("actions["):
        head = _("Action %(n)s") % {"n": int(head[8:-1]) + 1}
    else:
        head = str(HEADS.get(head, head.capitalize()))
    return f"{head} → {WORDS[key][0]}" if key in WORDS else head


def _err(field: str, message: str) -> ActionError:
    return ActionError(f"{where(field)}: {message}", field=field)


def _ids(org_id: int, model, values, field: str, **extra) -> list[int]:
    noun = WORDS[field.rpartition(".")[2]][1]
    if values in (None, ""):
        return []
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise _err(
            field, _("a list of %(thing)s numbers from the list beside, e.g. [12, 14]") % {"thing": noun}
        )
    values = sorted(set(values))
    found = set(
        model.objects.filter(organisation_id=org_id, pk__in=values, **extra).values_list("pk", flat=True)
    )
    if found != set(values):
        missing = ", ".join(str(v) for v in sorted(set(values) - found))
        raise _err(field, _("no such %(thing)s %(numbers)s") % {"thing": noun, "numbers": missing})
    return values


def _member_user(org_id: int, user_id, field: str) -> int:
    if (
        not isinstance(user_id, int)
        or not Membership.objects.filter(organisation_id=org_id, user_id=user_id, is_active=True).exists()
    ):
        raise _err(
            field,
            _("no such person %(n)s") % {"n": user_id} if isinstance(user_id, int) else _("no such person"),
        )
    return user_id


def _team(org_id: int, team_id, field: str) -> int | None:
    if team_id is None:
        return None
    if (
        not isinstance(team_id, int)
        or not Membership.objects.filter(organisation_id=org_id, pk=team_id, role=Role.MANAGER).exists()
    ):
        raise _err(field, _("no such team (a manager's team, from the list beside)"))
    return team_id


def clean_conditions(org_id: int, data, region: str = "IN") -> dict:
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise _err("conditions", _('an object in { }, e.g. {"source_ids": [12]}'))
    known = {"source_ids", "status_ids", "owner_ids", "team_id", "tag_ids", "outcome_ids", "outcome_times"}
    unknown = set(data) - known - {"hours", "on_shift", "fields"}
    if unknown:
        raise _err("conditions", _("not a condition: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    out = {}
    for key, model in (
        ("source_ids", LeadSource),
        ("status_ids", LeadStatus),
        ("tag_ids", Tag),
        ("outcome_ids", Outcome),
    ):
        if values := _ids(org_id, model, data.get(key), f"conditions.{key}"):
            out[key] = values
    owners = data.get("owner_ids") or []
    if not isinstance(owners, list):
        raise _err("conditions.owner_ids", _("a list of person numbers from the list beside, e.g. [3]"))
    if owners:
        out["owner_ids"] = sorted({_member_user(org_id, u, "conditions.owner_ids") for u in owners})
    if (team := _team(org_id, data.get("team_id"), "conditions.team_id")) is not None:
        out["team_id"] = team
    times = data.get("outcome_times")
    if times not in (None, 0, 1):
        if not isinstance(times, int) or not 1 < times <= 50:
            raise _err("conditions.outcome_times", _("a whole number from 1 to 50"))
        out["outcome_times"] = times
    hours = data.get("hours")
    if hours is not None:
        if (
            not isinstance(hours, list)
            or len(hours) != 2
            or not all(isinstance(h, int) and 0 <= h <= 24 for h in hours)
            or hours[0] == hours[1]
        ):
            raise _err("conditions.hours", _("[from hour, to hour], 0 to 24 in the organisation's time"))
        out["hours"] = hours
    if data.get("on_shift") is not None:
        if not isinstance(data["on_shift"], bool):
            raise _err("conditions.on_shift", _("true or false"))
        out["on_shift"] = data["on_shift"]
    if fields := clean_field_conditions(org_id, region, data.get("fields")):
        out["fields"] = fields
    return out


def _clean_action(org_id: int, i: int, action) -> dict:
    field = f"actions[{i}]"
    if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
        raise _err(f"{field}.type", _("one of %(values)s") % {"values": ", ".join(ACTION_TYPES)})
    kind = action["type"]
    if kind == "assign":
        if action.get("user_id") is not None:
            return {"type": kind, "user_id": _member_user(org_id, action["user_id"], f"{field}.user_id")}
        return {
            "type": kind,
            "team_id": _team(org_id, action.get("team_id"), f"{field}.team_id"),
            "on_shift": bool(action.get("on_shift", True)),
        }
    if kind == "set_status":
        status_id = (_ids(org_id, LeadStatus, [action.get("status_id")], f"{field}.status_id") or [None])[0]
        return {
            "type": kind,
            "status_id": status_id,
            "lost_reason": str(action.get("lost_reason") or "")[:200],
        }
    if kind == "follow_up":
        hours, days = action.get("in_hours") or 0, action.get("in_days") or 0
        if not all(isinstance(n, int) and 0 <= n <= 365 for n in (hours, days)) or not (hours or days):
            raise _err(f"{field}.in_days", _("in_hours or in_days: a whole number up to 365"))
        at = action.get("at") or ""
        if at and (
            len(at) != 5
            or at[2] != ":"
            or not at.replace(":", "").isdigit()
            or int(at[:2]) > 23
            or int(at[3:]) > 59
        ):
            raise _err(f"{field}.at", _('a time of day, like "11:00"'))
        if (fu_kind := action.get("kind") or FollowUpKind.CALL) not in FollowUpKind.values:
            raise _err(f"{field}.kind", _("one of %(values)s") % {"values": ", ".join(FollowUpKind.values)})
        return {"type": kind, "in_hours": hours, "in_days": days, "at": at, "kind": fu_kind}
    if kind in ("add_tag", "remove_tag"):
        tag = str(action.get("tag") or "").strip()[:50]
        if not tag:
            raise _err(f"{field}.tag", _("name the tag"))
        return {"type": kind, "tag": tag}
    if kind == "notify":
        if action.get("to") not in ("owner", "manager"):
            raise _err(f"{field}.to", _('"owner" or "manager"'))
        return {"type": kind, "to": action["to"], "email": bool(action.get("email", True))}
    endpoint = action.get("endpoint_id")
    if (
        not isinstance(endpoint, int)
        or not WebhookEndpoint.objects.filter(organisation_id=org_id, pk=endpoint).exists()
    ):
        raise _err(f"{field}.endpoint_id", _("no such webhook"))
    return {"type": kind, "endpoint_id": endpoint}


def clean_actions(org_id: int, data) -> list[dict]:
    if not isinstance(data, list) or not data:
        raise _err("actions", _("at least one action"))
    if len(data) > 10:
        raise _err("actions", _("at most 10 actions"))
    return [_clean_action(org_id, i, a) for i, a in enumerate(data)]


def clean_trigger(trigger, wait_minutes) -> tuple[str, int]:
    if trigger not in Trigger.values:
        raise ActionError(_("one of %(values)s") % {"values": ", ".join(Trigger.values)}, field="trigger")
    if trigger not in TIME_BASED:
        return trigger, 0
    if (
        not isinstance(wait_minutes, int)
        or isinstance(wait_minutes, bool)
        or not 1 <= wait_minutes <= MAX_WAIT_MINUTES
    ):
        raise ActionError(_("a whole number of minutes from 1 to a year"), field="wait_minutes")
    return trigger, wait_minutes


# --- templates of common rules ---------------------------------------------------------------


def _named(model, org_id: int, *names, **extra) -> list[int]:
    for name in names:
        found = model.objects.filter(organisation_id=org_id, name__iexact=name, **extra).values_list(
            "pk", flat=True
        )
        if found:
            return [found[0]]
    return []


def _lost(org_id: int) -> int | None:
    found = _named(LeadStatus, org_id, "Lost") or list(
        LeadStatus.objects.filter(organisation_id=org_id, kind=StatusKind.LOST).values_list("pk", flat=True)[
            :1
        ]
    )
    return found[0] if found else None


TEMPLATES = {
    "sla": gettext_lazy(
        "The 5-minute SLA: a lead nobody called 5 minutes after it was assigned goes to someone on shift"
    ),
    "site_visit": gettext_lazy("Interested → a site visit in 2 days"),
    "unreachable": gettext_lazy("Not connected three times → Lost: unreachable"),
    "hot_overdue": gettext_lazy("An overdue hot lead → tell the manager"),
}


def template_rule(org_id: int, key: str) -> dict:
    """The fields of a new rule from template ``key``, filled with the organisation's own
    statuses and outcomes where it has them (found by their usual names)."""
    if key == "sla":
        return {
            "name": _("5-minute SLA"),
            "trigger": Trigger.NOT_CALLED,
            "wait_minutes": 5,
            "conditions": {},
            "actions": [{"type": "assign", "team_id": None, "on_shift": True}],
        }
    if key == "site_visit":
        return {
            "name": _("Interested → site visit in 2 days"),
            "trigger": Trigger.STATUS_CHANGED,
            "wait_minutes": 0,
            "conditions": {"status_ids": _named(LeadStatus, org_id, "Interested")},
            "actions": [{"type": "follow_up", "in_days": 2, "in_hours": 0, "at": "11:00", "kind": "visit"}],
        }
    if key == "unreachable":
        return {
            "name": _("Not connected three times → Lost"),
            "trigger": Trigger.OUTCOME_RECORDED,
            "wait_minutes": 0,
            "conditions": {
                "outcome_ids": sorted(
                    Outcome.objects.filter(organisation_id=org_id, connected=False).values_list(
                        "pk", flat=True
                    )
                ),
                "outcome_times": 3,
            },
            "actions": [{"type": "set_status", "status_id": _lost(org_id), "lost_reason": _("Unreachable")}],
        }
    if key == "hot_overdue":
        return {
            "name": _("Overdue hot lead → tell the manager"),
            "trigger": Trigger.FOLLOW_UP_OVERDUE,
            "wait_minutes": 60,
            "conditions": {"tag_ids": _named(Tag, org_id, "Hot")},
            "actions": [{"type": "notify", "to": "manager", "email": True}],
        }
    raise ActionError(
        _("one of %(values)s") % {"values": ", ".join(TEMPLATES)}, field="template", status_code=404
    )
