"""The time-based triggers: a periodic scan that finds the leads whose moment has come.

Each time-based rule keeps its place in an index (``scanned_at``, ``scanned_id``) and reads on
from there to ``now - wait``, in (time, id) order: a run reads only what came due since the last
one, whatever the number of leads — never the table.

- assigned N minutes ago and not called: the timeline's assignments (``activity_kind_at``:
  organisation, kind, at) — a lead created with an owner, or given one;
- a follow-up overdue by N minutes: the lead's next follow-up (``lead_next``);
- untouched for N days: the lead's last change (``lead_updated``).

The scan fires each due lead that fits the rule's conditions there and then (the periodic job
runs in the worker); the event key — the assignment's entry, the follow-up's time, the lead's
last change — makes a rescan after a crash fire nothing twice."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from leadtracker.accounts.models import Organisation
from leadtracker.automation.engine import assigned_reason, fire, matches
from leadtracker.automation.field_conditions import field_defs, narrow
from leadtracker.automation.models import TIME_BASED, Rule, RuleRun, Trigger
from leadtracker.leads.models import Activity, ActivityKind, Lead

BATCH = 500
# A run reads at most this many batches per rule; what is left waits for the next run.
MAX_BATCHES = 4
# A rule switched on acts on what came due from this long before (a worker down over lunch).
LOOKBACK = dt.timedelta(days=1)


@dataclass
class Due:
    lead_id: int
    event: str
    at: dt.datetime  # the cursor's place after this one
    id: int


def start_cursor(rule: Rule, now: dt.datetime) -> None:
    rule.scanned_at = now - dt.timedelta(minutes=rule.wait_minutes) - LOOKBACK
    rule.scanned_id = 0


def _after(field: str, at: dt.datetime, pk: int) -> Q:
    # Written as a range on the time plus a tie-break, so both databases read the index from
    # the cursor on (a bare OR of the two would not be seen as a range by every planner).
    return Q(**{f"{field}__gte": at}) & (Q(**{f"{field}__gt": at}) | Q(pk__gt=pk))


def _assignments(rule: Rule, upto: dt.datetime) -> list[Due]:
    entries = list(
        Activity.objects.filter(
            _after("at", rule.scanned_at, rule.scanned_id),
            organisation_id=rule.organisation_id,
            kind__in=[ActivityKind.CREATED, ActivityKind.OWNER],
            at__lte=upto,
        )
        .order_by("at", "id")
        .values_list("id", "lead_id", "at", "kind", "data")[:BATCH]
    )
    if not entries:
        return []
    lead_ids = {e[1] for e in entries}
    leads = dict(
        Lead.objects.filter(pk__in=lead_ids, erased_at__isnull=True, owner_id__isnull=False).values_list(
            "pk", "last_contacted_at"
        )
    )
    # A later assignment is an event of its own: this one no longer counts.
    latest: dict[int, dt.datetime] = {}
    for lead_id, at in Activity.objects.filter(
        lead_id__in=lead_ids, kind=ActivityKind.OWNER, at__gt=entries[0][2]
    ).values_list("lead_id", "at"):
        latest[lead_id] = max(at, latest.get(lead_id, at))
    due = []
    for pk, lead_id, at, kind, data in entries:
        contacted = leads.get(lead_id, at)  # not in `leads`: no owner, or erased
        own = kind == ActivityKind.OWNER and (
            data.get("to") is None or data.get("reason") == assigned_reason(rule)
        )
        if (
            lead_id in leads
            and not own
            and (contacted is None or contacted < at)
            and latest.get(lead_id, at) <= at
        ):
            due.append(Due(lead_id, f"assigned:{pk}", at, pk))
        else:
            due.append(Due(0, "", at, pk))  # moves the cursor, fires nothing
    return due


def _leads_by(field: str, prefix: str, rule: Rule, upto: dt.datetime) -> list[Due]:
    rows = (
        Lead.objects.filter(
            _after(field, rule.scanned_at, rule.scanned_id),
            organisation_id=rule.organisation_id,
            **{f"{field}__lte": upto},
        )
        .order_by(field, "id")
        .values_list("id", field, "erased_at")[:BATCH]
    )
    return [Due(0 if erased else pk, f"{prefix}:{at.isoformat()}", at, pk) for pk, at, erased in rows]


def due_batch(rule: Rule, now: dt.datetime) -> list[Due]:
    """The next batch of events of ``rule`` that are due, from its cursor on."""
    if rule.scanned_at is None:
        start_cursor(rule, now)
    upto = now - dt.timedelta(minutes=rule.wait_minutes)
    if rule.trigger == Trigger.NOT_CALLED:
        return _assignments(rule, upto)
    if rule.trigger == Trigger.FOLLOW_UP_OVERDUE:
        return _leads_by("next_follow_up_at", "overdue", rule, upto)
    return _leads_by("updated_at", "untouched", rule, upto)


def _fits(rule: Rule, lead_ids: list[int], now: dt.datetime) -> list[Lead]:
    leads = Lead.objects.filter(pk__in=lead_ids).select_related("organisation").order_by("id")
    defs = None
    if conds := (rule.conditions or {}).get("fields"):
        # The custom-field conditions in the database, as the lead list filters them; the
        # engine's own test still runs on what is left (with the fields read once here).
        defs = field_defs(rule.organisation_id, rule.conditions)
        region = Organisation.objects.filter(pk=rule.organisation_id).values_list("phone_region", flat=True)[
            0
        ]
        leads = narrow(leads, conds, defs, region)
    return [lead for lead in leads if matches(rule, lead, now=now, defs=defs)]


def scan_rule(rule: Rule, now: dt.datetime | None = None) -> int:
    """Fire ``rule`` on every lead that came due since its last run; returns how many fired."""
    now = now or timezone.now()
    fired = 0
    for _ in range(MAX_BATCHES):
        batch = due_batch(rule, now)
        if not batch:
            break
        events = {d.lead_id: d.event for d in batch if d.lead_id}
        for lead in _fits(rule, list(events), now):
            if fire(rule, lead, events[lead.pk], now=now) is not None:
                fired += 1
        rule.scanned_at, rule.scanned_id = batch[-1].at, batch[-1].id
        Rule.objects.filter(pk=rule.pk).update(scanned_at=rule.scanned_at, scanned_id=rule.scanned_id)
        if len(batch) < BATCH:
            break
    return fired


def scan(now: dt.datetime | None = None) -> int:
    """Every active time-based rule of every organisation. No lock is held across a rule's
    firings (on SQLite it would hold the one write lock for the web too): each firing is its own
    short transaction, the place moves after the batch, and the periodic job's own lock keeps a
    second worker from scanning at once — were one to, the runs' unique key stops a double."""
    now = now or timezone.now()
    fired = 0
    for rule in Rule.objects.filter(is_active=True, trigger__in=TIME_BASED).order_by("pk"):
        fired += scan_rule(rule, now)
    return fired


def dry_run(rule: Rule, now: dt.datetime | None = None, limit: int = 100) -> list[Lead]:
    """The leads a time-based rule would fire on if it ran now: what its scan would find and
    fire, without firing or moving its place."""
    now = now or timezone.now()
    probe = Rule(
        pk=rule.pk,
        organisation_id=rule.organisation_id,
        trigger=rule.trigger,
        wait_minutes=rule.wait_minutes,
        conditions=rule.conditions,
        scanned_at=rule.scanned_at,
        scanned_id=rule.scanned_id,
    )
    found: list[Lead] = []
    for _ in range(MAX_BATCHES):
        batch = due_batch(probe, now)
        if not batch:
            break
        events = {d.lead_id: d.event for d in batch if d.lead_id}
        done = set(
            RuleRun.objects.filter(rule_id=rule.pk, lead_id__in=list(events)).values_list("lead_id", "event")
        )
        found += [lead for lead in _fits(probe, list(events), now) if (lead.pk, events[lead.pk]) not in done]
        probe.scanned_at, probe.scanned_id = batch[-1].at, batch[-1].id
        if len(found) >= limit or len(batch) < BATCH:
            break
    return found[:limit]
