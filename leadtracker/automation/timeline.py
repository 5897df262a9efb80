"""A rule's runs on the lead's timeline ("Rule 5-minute SLA reassigned to Pooja"): read from
the rule log when the page is built, so erasing the log erases the lines, and names are the
people's names as they are now (the log keeps ids only)."""

from django.contrib.auth import get_user_model

from leadtracker.automation.models import RuleRun
from leadtracker.leads.models import Activity, LeadStatus


def describe(did: list[dict], users: dict, statuses: dict) -> str:
    parts = []
    for d in did:
        kind = d.get("type")
        if "failed" in d:
            parts.append(f"could not {kind.replace('_', ' ')}: {d['failed']}")
        elif "skipped" in d:
            continue
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
    return ", ".join(parts) or "fired and had nothing to do"


def names_for(runs) -> tuple[dict, dict]:
    user_ids = {d.get("to") for r in runs for d in r.did if d.get("type") in ("assign", "notify")}
    status_ids = {d.get("to") for r in runs for d in r.did if d.get("type") == "set_status"}
    users = dict(get_user_model().objects.filter(pk__in=user_ids - {None}).values_list("pk", "full_name"))
    statuses = dict(LeadStatus.objects.filter(pk__in=status_ids - {None}).values_list("pk", "name"))
    return users, statuses


def rule_entries(lead, limit: int) -> list[Activity]:
    runs = list(RuleRun.objects.filter(lead=lead).select_related("rule").order_by("-fired_at", "-id")[:limit])
    users, statuses = names_for(runs)
    return [
        Activity(
            organisation_id=r.organisation_id,
            lead=lead,
            kind="rule",
            at=r.fired_at,
            data={"rule": r.rule.name, "text": describe(r.did, users, statuses)},
        )
        for r in runs
    ]
