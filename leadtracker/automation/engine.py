"""Running rules: whether a lead fits a rule, and firing it — once per rule, lead and event.

Every change a rule makes goes through the apps' own actions (assign_lead, change_status,
schedule_follow_up, the tag actions, notify, the webhook queue), with an Actor that names the
rule, so audit, visibility, webhooks and roll-ups come out as when a person does it. Firing
inserts the RuleRun first: its unique key makes a retried task, a second worker or a rescan a
no-op, and a failure rolls the run back with what it did."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.language import language_of
from leadtracker.accounts.models import ActorKind, Membership, Role
from leadtracker.accounts.notifications import later, notify
from leadtracker.attendance.selectors import users_on_shift
from leadtracker.automation.field_conditions import all_hold, field_defs
from leadtracker.automation.models import Rule, RuleRun, Trigger
from leadtracker.automation.rules import MAX_DEPTH
from leadtracker.calls.models import Call
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.actions.tags import add_tags, set_tags
from leadtracker.leads.models import Lead, LeadStatus, LeadTag, WebhookEndpoint
from leadtracker.leads.webhooks import queue_event
from leadtracker.lib.errors import ActionError
from leadtracker.lib.stored_text import recipe_of, recording

logger = logging.getLogger(__name__)


def rule_actor(rule: Rule, depth: int = 1) -> Actor:
    """The system, acting for ``rule``: audit events name it, and the signals its actions send
    carry it, so the rule does not fire again on what it did itself (loop-safe)."""
    return Actor(kind=ActorKind.SYSTEM, extra={"rule_id": rule.pk, "depth": depth})


def assigned_reason(rule: Rule) -> str:
    # The reason on the owner change's timeline entry: the scan for "assigned and not called"
    # reads it to pass over the assignments this rule made.
    return f"rule {rule.pk}"


# --- conditions ------------------------------------------------------------------------------


def _team_user_ids(org_id: int, team_id: int | None) -> list[int]:
    """A manager's team: the active members reporting to them; no team: every active agent."""
    members = Membership.objects.filter(organisation_id=org_id, is_active=True)
    members = members.filter(reports_to_id=team_id) if team_id else members.filter(role=Role.AGENT)
    return sorted(members.values_list("user_id", flat=True))


def matches(
    rule: Rule, lead: Lead, *, now: dt.datetime, call: Call | None = None, defs: dict | None = None
) -> bool:
    """``defs``: the custom fields the rule's conditions name, when the caller read them once
    for many leads (the scan's batch); read here otherwise."""
    c = rule.conditions
    if "source_ids" in c and lead.source_id not in c["source_ids"]:
        return False
    if "status_ids" in c and lead.status_id not in c["status_ids"]:
        return False
    if "owner_ids" in c and lead.owner_id not in c["owner_ids"]:
        return False
    if "team_id" in c and lead.owner_id not in _team_user_ids(lead.organisation_id, c["team_id"]):
        return False
    if "tag_ids" in c and not LeadTag.objects.filter(lead=lead, tag_id__in=c["tag_ids"]).exists():
        return False
    if "outcome_ids" in c:
        if rule.trigger == Trigger.OUTCOME_RECORDED and (
            call is None or call.outcome_id not in c["outcome_ids"]
        ):
            return False
        times = Call.objects.filter(lead=lead, outcome_id__in=c["outcome_ids"]).count()
        if times < c.get("outcome_times", 1):
            return False
    if "hours" in c:
        start, end = c["hours"]
        hour = now.astimezone(lead.organisation.tzinfo).hour
        inside = start <= hour < end if start < end else (hour >= start or hour < end)
        if not inside:
            return False
    if "on_shift" in c:
        on = lead.owner_id is not None and bool(users_on_shift(lead.organisation_id, [lead.owner_id]))
        if on != c["on_shift"]:
            return False
    if "fields" in c:
        defs = field_defs(rule.organisation_id, c) if defs is None else defs
        if not all_hold(c["fields"], defs, lead.custom_fields):
            return False
    return True


# --- actions ---------------------------------------------------------------------------------


def _round_robin(rule: Rule, lead: Lead, action: dict) -> int | None:
    candidates = [
        u for u in _team_user_ids(lead.organisation_id, action.get("team_id")) if u != lead.owner_id
    ]
    if action.get("on_shift"):
        on = users_on_shift(lead.organisation_id, candidates)
        candidates = [u for u in candidates if u in on]
    if not candidates:
        return None
    # The turn moves under the rule's row lock: two leads at once never go to the same person.
    locked = Rule.objects.select_for_update().get(pk=rule.pk)
    chosen = candidates[locked.turn % len(candidates)]
    Rule.objects.filter(pk=rule.pk).update(turn=locked.turn + 1)
    return chosen


def _follow_up_due(lead: Lead, action: dict, now: dt.datetime) -> dt.datetime:
    due = now + dt.timedelta(days=action["in_days"], hours=action["in_hours"])
    if action.get("at"):
        tz = lead.organisation.tzinfo
        hour, minute = (int(p) for p in action["at"].split(":"))
        due = due.astimezone(tz).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due


def _manager_user_id(lead: Lead) -> int | None:
    return (
        Membership.objects.filter(organisation_id=lead.organisation_id, user_id=lead.owner_id)
        .values_list("reports_to__user_id", flat=True)
        .first()
    )


def _notify(rule: Rule, lead: Lead, action: dict) -> dict:
    user_id = lead.owner_id if action["to"] == "owner" else _manager_user_id(lead)
    if user_id is None:
        return {"type": "notify", "skipped": f"no {action['to']}"}
    url = f"/leads/{lead.pk}/"
    # Written in the recipient's language, not the worker's (accounts/notifications.py).
    text = later(gettext_lazy("Rule “%(rule)s”: %(lead)s"), rule=rule.name, lead=str(lead))
    notify(organisation_id=lead.organisation_id, user_id=user_id, text=text, url=url, lead_id=lead.pk)
    if action.get("email"):
        member = Membership.objects.select_related("user", "organisation").get(
            organisation_id=lead.organisation_id, user_id=user_id
        )
        with translation.override(language_of(member.user, member.organisation)):
            subject = str(text)
            link = _("Open the lead: %(url)s") % {"url": settings.SITE_URL + url}
        body = f"{subject}\n\n{link}\n"
        to = member.user.email
        transaction.on_commit(lambda: send_mail(subject, body, None, [to], fail_silently=True))
    return {"type": "notify", "to": user_id}


def _do(rule: Rule, lead: Lead, action: dict, *, actor: Actor, now: dt.datetime) -> dict:
    kind = action["type"]
    if kind == "assign":
        owner = action.get("user_id") or _round_robin(rule, lead, action)
        if owner is None:
            return {"type": kind, "skipped": "nobody to assign to"}
        if owner == lead.owner_id:
            return {"type": kind, "skipped": "already theirs"}
        assign_lead(lead, owner, actor=actor, by=None, reason=assigned_reason(rule))
        return {"type": kind, "to": owner}
    if kind == "set_status":
        status = LeadStatus.objects.filter(
            organisation_id=lead.organisation_id, pk=action["status_id"]
        ).first()
        if status is None or status.pk == lead.status_id:
            return {"type": kind, "skipped": "no change"}
        change_status(lead, status, actor=actor, by=None, lost_reason=action.get("lost_reason", ""))
        return {"type": kind, "to": status.pk}
    if kind == "follow_up":
        fu = schedule_follow_up(
            lead,
            due_at=_follow_up_due(lead, action, now),
            kind=action["kind"],
            note=rule.name,
            actor=actor,
            by=None,
        )
        return {"type": kind, "follow_up": fu.pk}
    if kind == "add_tag":
        return {
            "type": kind,
            "tag": action["tag"],
            "added": bool(add_tags(lead, [action["tag"]], actor=actor)),
        }
    if kind == "remove_tag":
        names = list(LeadTag.objects.filter(lead=lead).values_list("tag__name", flat=True))
        if action["tag"] not in names:
            return {"type": kind, "tag": action["tag"], "skipped": "not tagged"}
        set_tags(lead, [n for n in names if n != action["tag"]], actor=actor, by=None)
        return {"type": kind, "tag": action["tag"]}
    if kind == "notify":
        return _notify(rule, lead, action)
    endpoint = WebhookEndpoint.objects.filter(
        organisation_id=lead.organisation_id, pk=action["endpoint_id"], is_active=True
    ).first()
    if endpoint is None:
        return {"type": kind, "skipped": "webhook off or removed"}
    queue_event(lead.organisation_id, [lead.pk], "rule.fired", {"rule": rule.name}, endpoints=[endpoint])
    return {"type": kind, "endpoint": endpoint.pk}


# --- firing ----------------------------------------------------------------------------------


def fire(
    rule: Rule, lead: Lead, event: str, *, now=None, call: Call | None = None, depth: int = 1
) -> RuleRun | None:
    """Fire ``rule`` on ``lead`` for ``event`` if it has not fired for it already; returns the
    run, or None when it had (or the lead no longer fits). Each action in its own savepoint: an
    action that cannot be done (a status since deleted) is logged as such and the others go on."""
    now = now or timezone.now()
    actor = rule_actor(rule, depth)
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = RuleRun.objects.create(
                    organisation_id=rule.organisation_id, rule=rule, lead=lead, event=event[:80], fired_at=now
                )
        except IntegrityError:
            return None  # fired for this event already: a retry, a second worker, a rescan
        did = []
        for action in rule.actions:
            try:
                # recording(): why an action failed is kept as what to say as well as words, so
                # the rule log reads in its reader's language (timeline.describe), not the worker's.
                with recording(), transaction.atomic():
                    did.append(_do(rule, lead, action, actor=actor, now=now))
            except ActionError as exc:
                failed = {"type": action["type"], "failed": exc.message[:200]}
                if said := recipe_of(exc.message):
                    failed["failed_said"] = said
                did.append(failed)
        run.did = did
        run.save(update_fields=["did"])
        record(
            "rule.fire",
            organisation=lead.organisation,
            actor=actor,
            obj=rule,
            changes={"lead": lead.pk, "event": run.event, "did": [d["type"] for d in did]},
        )
    logger.info("rule %s fired on lead %s (%s)", rule.pk, lead.pk, event)
    return run


def live_lead(org_id: int, lead_id: int) -> Lead | None:
    return (
        Lead.objects.filter(organisation_id=org_id, pk=lead_id, erased_at__isnull=True)
        .select_related("organisation", "status")
        .first()
    )


def handle_event(
    org_id: int,
    lead_id: int,
    trigger: str,
    key: str,
    *,
    call_id: int | None = None,
    by_rule: int | None = None,
    depth: int = 0,
) -> list[int]:
    """Fire the organisation's active rules of ``trigger`` that ``lead`` fits: the worker's
    side of a signal. ``by_rule``: the rule whose action caused the event, which does not fire on
    it (loop-safe); ``depth``: how many rules led here. Returns the ids of the runs."""
    if depth >= MAX_DEPTH:
        return []
    rules = [
        r
        for r in Rule.objects.filter(organisation_id=org_id, trigger=trigger, is_active=True)
        if r.pk != by_rule
    ]
    lead = live_lead(org_id, lead_id) if rules else None
    if lead is None:
        return []
    call = Call.objects.filter(organisation_id=org_id, pk=call_id).first() if call_id else None
    now = timezone.now()
    runs = []
    for rule in rules:
        lead.refresh_from_db()  # the rule before may have changed it
        if matches(rule, lead, now=now, call=call):
            run = fire(rule, lead, f"{trigger}:{key}", now=now, call=call, depth=depth + 1)
            if run is not None:
                runs.append(run.pk)
    return runs
