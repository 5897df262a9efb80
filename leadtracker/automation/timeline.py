"""A rule's runs on the lead's timeline ("Rule 5-minute SLA reassigned to Pooja"): read from
the rule log when the page is built, so erasing the log erases the lines, and names are the
people's names as they are now (the log keeps ids only)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadtracker.accounts.models import Membership
from leadtracker.automation.models import RuleRun
from leadtracker.leads.models import Activity, LeadStatus
from leadtracker.leads.timeline import Branch
from leadtracker.lib.stored_text import shown

VERBS = {
    "assign": gettext_lazy("reassign"),
    "set_status": gettext_lazy("set the status"),
    "follow_up": gettext_lazy("plan a follow-up"),
    "add_tag": gettext_lazy("add the tag"),
    "remove_tag": gettext_lazy("remove the tag"),
    "notify": gettext_lazy("tell anyone"),
    "webhook": gettext_lazy("send the webhook"),
}
# The log keeps "no owner" / "no manager" (engine._notify); the reader sees it in words.
NOBODY_TO_TELL = {"owner": gettext_lazy("owner"), "manager": gettext_lazy("manager")}


def _could_not(kind, why) -> str:
    return _("could not %(verb)s: %(why)s") % {"verb": VERBS.get(kind, kind), "why": why}


def _skipped(d: dict, action: dict, teams: dict) -> str:
    """Why an action did nothing, in words: the log stores a short code, which a reader of
    the timeline (who saw "fired and had nothing to do" for 270 stuck leads) cannot act on."""
    kind, why = d.get("type"), d.get("skipped", "")
    if why == "nobody to assign to":
        team = teams.get(action.get("team_id"))
        on_shift = action.get("on_shift", True) and "user_id" not in action
        if team:
            if on_shift:
                return _("could not reassign: nobody in %(manager)s's team is on shift") % {"manager": team}
            return _("could not reassign: nobody in %(manager)s's team to give it to") % {"manager": team}
        if on_shift:
            return _("could not reassign: no agent is on shift")
        return _("could not reassign: no agent to give it to")
    if why == "already theirs":
        return _("left the owner as it was: the lead is already theirs")
    if why == "no change":
        return _("could not set the status: the lead has it already, or the status was deleted")
    if why == "not tagged":
        return _("did not remove the tag %(tag)s: the lead does not have it") % {"tag": d.get("tag")}
    if why.startswith("no "):
        who = NOBODY_TO_TELL.get(why[3:], why[3:])
        return _("could not tell the lead's %(who)s: the lead has none") % {"who": who}
    if why == "webhook off or removed":
        return _("could not send the webhook: it is switched off or removed")
    return _could_not(kind, why)


def _done(kind, d: dict, users: dict, statuses: dict) -> str:
    someone = _("someone")
    if kind == "assign":
        return _("reassigned to %(name)s") % {"name": users.get(d.get("to"), someone)}
    if kind == "set_status":
        return _("set the status to %(status)s") % {"status": statuses.get(d.get("to"), "?")}
    if kind == "follow_up":
        return _("planned a follow-up")
    if kind == "add_tag":
        return _("tagged it %(tag)s") % {"tag": d.get("tag")}
    if kind == "remove_tag":
        return _("removed the tag %(tag)s") % {"tag": d.get("tag")}
    if kind == "notify":
        return _("told %(name)s") % {"name": users.get(d.get("to"), someone)}
    if kind == "webhook":
        return _("sent a webhook")
    return ""


def describe(did: list[dict], users: dict, statuses: dict, rule=None, teams: dict | None = None) -> str:
    """What one run did, in words, in the reader's language (the log keeps ids and codes, so
    it is written when it is read). ``rule`` gives each action's settings (the team whose
    members were off shift), ``teams`` the managers' names by membership id."""
    parts = []
    acts = list(getattr(rule, "actions", None) or [])
    for i, d in enumerate(did):
        kind = d.get("type")
        if "failed" in d:
            parts.append(_could_not(kind, shown(d.get("failed_said"), d["failed"])))
        elif "skipped" in d:
            parts.append(_skipped(d, acts[i] if i < len(acts) else {}, teams or {}))
        elif text := _done(kind, d, users, statuses):
            parts.append(text)
    return "; ".join(parts) or _("fired and had nothing to do")


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


def _entries(lead, runs) -> list[Activity]:
    if not runs:  # most leads: no names to look up (the lead page's every request)
        return []
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


# The rules' runs on the lead as a branch of its timeline's one statement (leads/page_reads.py).
BRANCH = Branch(RuleRun, order=(("fired_at", True), ("id", True)), related=("rule",), entries=_entries)
