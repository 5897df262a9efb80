"""A rule's runs on the lead's timeline ("Rule 5-minute SLA reassigned to Pooja"): read from
the rule log when the page is built, so erasing the log erases the lines, and names are the
people's names as they are now (the log keeps ids only)."""

from django.contrib.auth import get_user_model

from leadtracker.accounts.models import Membership
from leadtracker.automation.models import RuleRun
from leadtracker.leads.models import Activity, LeadStatus

VERBS = {
    "assign": "reassign",
    "set_status": "set the status",
    "follow_up": "plan a follow-up",
    "add_tag": "add the tag",
    "remove_tag": "remove the tag",
    "notify": "tell anyone",
    "webhook": "send the webhook",
}


def _skipped(d: dict, action: dict, teams: dict) -> str:
    """Why an action did nothing, in words: the log stores a short code, which a reader of
    the timeline (who saw "fired and had nothing to do" for 270 stuck leads) cannot act on."""
    kind, why = d.get("type"), d.get("skipped", "")
    if why == "nobody to assign to":
        team = teams.get(action.get("team_id"))
        who = f"nobody in {team}'s team" if team else "no agent"
        on_shift = action.get("on_shift", True) and "user_id" not in action
        return f"could not reassign: {who} " + ("is on shift" if on_shift else "to give it to")
    if why == "already theirs":
        return "left the owner as it was: the lead is already theirs"
    if why == "no change":
        return "could not set the status: the lead has it already, or the status was deleted"
    if why == "not tagged":
        return f"did not remove the tag {d.get('tag')}: the lead does not have it"
    if why.startswith("no "):
        return f"could not tell the lead's {why[3:]}: the lead has none"
    if why == "webhook off or removed":
        return "could not send the webhook: it is switched off or removed"
    return f"could not {VERBS.get(kind, kind)}: {why}"


def describe(did: list[dict], users: dict, statuses: dict, rule=None, teams: dict | None = None) -> str:
    """What one run did, in words. ``rule`` gives each action's settings (the team whose
    members were off shift), ``teams`` the managers' names by membership id."""
    parts = []
    acts = list(getattr(rule, "actions", None) or [])
    for i, d in enumerate(did):
        kind = d.get("type")
        if "failed" in d:
            parts.append(f"could not {VERBS.get(kind, kind)}: {d['failed']}")
        elif "skipped" in d:
            parts.append(_skipped(d, acts[i] if i < len(acts) else {}, teams or {}))
        elif kind == "assign":
            parts.append(f"reassigned to {users.get(d.get('to'), 'someone')}")
        elif kind == "set_status":
            parts.append(f"set the status to {statuses.get(d.get('to'), '?')}")
        elif kind == "follow_up":
            parts.append("planned a follow-up")
        elif kind == "add_tag":
            parts.append(f"tagged it {d.get('tag')}")
        elif kind == "remove_tag":
            parts.append(f"removed the tag {d.get('tag')}")
        elif kind == "notify":
            parts.append(f"told {users.get(d.get('to'), 'someone')}")
        elif kind == "webhook":
            parts.append("sent a webhook")
    return "; ".join(parts) or "fired and had nothing to do"


def names_for(runs) -> tuple[dict, dict]:
    user_ids = {d.get("to") for r in runs for d in r.did if d.get("type") in ("assign", "notify")}
    status_ids = {d.get("to") for r in runs for d in r.did if d.get("type") == "set_status"}
    users = dict(get_user_model().objects.filter(pk__in=user_ids - {None}).values_list("pk", "full_name"))
    statuses = dict(LeadStatus.objects.filter(pk__in=status_ids - {None}).values_list("pk", "name"))
    return users, statuses


def team_names(org_id: int, rules) -> dict:
    """The managers' names of the teams the rules' assign actions name (membership ids)."""
    ids = {a.get("team_id") for r in rules for a in (r.actions or []) if a.get("team_id")}
    return dict(
        Membership.objects.filter(organisation_id=org_id, pk__in=ids).values_list("pk", "user__full_name")
    )


def rule_entries(lead, limit: int) -> list[Activity]:
    runs = list(RuleRun.objects.filter(lead=lead).select_related("rule").order_by("-fired_at", "-id")[:limit])
    users, statuses = names_for(runs)
    teams = team_names(lead.organisation_id, {r.rule for r in runs})
    return [
        Activity(
            organisation_id=r.organisation_id,
            lead=lead,
            kind="rule",
            at=r.fired_at,
            data={"rule": r.rule.name, "text": describe(r.did, users, statuses, r.rule, teams)},
        )
        for r in runs
    ]
