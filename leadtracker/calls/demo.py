"""Demo calls: 14 days of each agent's shifts as their phones would have synced them — a
morning peak, a lunch dip, missed calls and call-backs — sent through the real sync path."""

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance.models import Shift
from leadtracker.calls import actions, sync
from leadtracker.calls.models import Call, Outcome
from leadtracker.calls.queue.actions import save_talk_script
from leadtracker.leads.models import Lead, LeadSource, LeadStatus

# Relative call volume by hour of the day (IST): busy late morning, a lunch dip, a second peak.
HOURLY = {9: 3, 10: 8, 11: 10, 12: 7, 13: 3, 14: 5, 15: 7, 16: 8, 17: 6, 18: 3}
NOTES = [
    "Asked for the brochure",
    "Site visit next week",
    "Budget is lower",
    "Will discuss with family",
    "Wants a loan estimate",
    "",
]


def _call_times(rng, shifts, now):
    times = []
    for start, end in shifts:
        end = min(end or now, now - dt.timedelta(minutes=1))
        moment = start + dt.timedelta(minutes=rng.randint(2, 10))
        while moment < end:
            times.append(moment)
            weight = HOURLY.get(moment.astimezone(start.tzinfo).hour, 2)
            moment += dt.timedelta(minutes=rng.expovariate(weight / 60.0) + 1.5, seconds=rng.randint(0, 59))
    return times


# What a new organisation's outcomes do (calls/receivers.py), spelt out for the demo: the
# outcomes that reach nobody require the next try, "Interested" moves the lead on.
DEMO_OUTCOMES = {
    # name: (requires a follow-up, moves the lead to, the person was reached)
    "Interested": (True, "Interested", True),
    "Call back later": (True, None, True),
    "Not interested": (False, "Lost", True),
    "No answer": (True, None, False),
    "Switched off / not reachable": (True, None, False),
    "Busy": (True, None, False),
}
DEMO_SCRIPTS = {
    ("status", "New"): (
        "Namaste, this is (your name) from our sales team. You asked about our projects — is this a good "
        "time for two minutes?\nAsk: budget, preferred area, when they plan to buy.\n"
        "Close: offer a site visit this weekend."
    ),
    ("status", "Interested"): (
        "Remind them of what they liked last time. Confirm the budget and the loan estimate.\n"
        "Aim: fix the site visit date and time before the call ends."
    ),
    ("source", "IndiaMART"): (
        "IndiaMART buyers compare three sellers: say what makes us different in the first minute."
    ),
}


def configure_demo_outcomes(org) -> None:
    statuses = {s.name: s.pk for s in LeadStatus.objects.filter(organisation=org)}
    for outcome in Outcome.objects.filter(organisation=org, name__in=DEMO_OUTCOMES):
        requires, status, reached = DEMO_OUTCOMES[outcome.name]
        actions.save_outcome(
            org,
            name=outcome.name,
            asks_follow_up=requires,
            is_active=True,
            outcome=outcome,
            sets_status_id=statuses.get(status) if status else None,
            connected=reached,
            actor=Actor.system(),
        )
    for (kind, name), text in DEMO_SCRIPTS.items():
        model = LeadStatus if kind == "status" else LeadSource
        target = model.objects.filter(organisation=org, name=name).first()
        if target is not None:
            save_talk_script(org, **{kind: target}, text=text, actor=Actor.system())


def add_demo_calls(org, members) -> None:
    configure_demo_outcomes(org)
    rng = random.Random(42)
    now = timezone.now()
    tz = org.tzinfo
    agents = [m for m in members.values() if m.role == "agent"]
    outcomes = {d.name: d for d in Outcome.objects.filter(organisation=org)}
    for agent in agents:
        _code, raw = actions.create_pairing_code(agent, actor=Actor.system(), by=None)
        device, _token = actions.pair_device(
            raw,
            name=f"{agent.user.get_short_name()}'s phone",
            platform="android",
            os_version="14",
            app_version="0.1.0",
            actor=Actor.system(),
        )
        numbers = list(
            Lead.objects.filter(organisation=org, owner_id=agent.user_id)
            .exclude(phone="")
            .values_list("phone", flat=True)
        )
        shifts = [
            (s.astimezone(tz), e.astimezone(tz) if e else None)
            for s, e in Shift.objects.filter(organisation=org, user_id=agent.user_id).values_list(
                "started_at", "ended_at"
            )
        ]
        rows, pending_returns = [], []
        for i, moment in enumerate(_call_times(rng, shifts, now)):
            if pending_returns and pending_returns[0][0] <= moment:
                _due, number = pending_returns.pop(0)
                rows.append(_row(i, number, "outgoing", moment, rng.randint(40, 300)))
                continue
            number = (
                rng.choice(numbers)
                if numbers and rng.random() < 0.7
                else f"+91{rng.choice('6789')}{rng.randrange(10**8, 10**9)}"
            )
            if rng.random() < 0.7:
                talked = rng.random() < 0.55
                rows.append(_row(i, number, "outgoing", moment, rng.randint(15, 420) if talked else 0))
            elif rng.random() < 0.75:
                rows.append(_row(i, number, "incoming", moment, rng.randint(20, 600)))
            else:
                rows.append(_row(i, number, rng.choice(["missed", "missed", "rejected"]), moment, 0))
                if rng.random() < 0.8:  # most missed calls are returned, some only much later
                    wait = dt.timedelta(minutes=rng.choice([4, 8, 15, 25, 40, 90, 240]))
                    pending_returns.append((moment + wait, number))
                    pending_returns.sort()
        for start in range(0, len(rows), sync.MAX_CALLS):
            sync.sync(device, {"calls": rows[start : start + sync.MAX_CALLS]}, actor=Actor.system(), now=now)
        _record_outcomes(rng, agent, outcomes)


def _row(i, number, call_type, moment, duration):
    return {
        "device_call_id": str(10_000 + i),
        "number": number,
        "type": call_type,
        "started_at": moment.replace(microsecond=0).isoformat(),
        "duration_s": duration,
        "sim": "1",
    }


def _record_outcomes(rng, agent, outcomes) -> None:
    actor = Actor.for_user(agent.user)
    talked = Call.objects.filter(
        organisation_id=agent.organisation_id, user_id=agent.user_id, lead__isnull=False
    )
    # With its organisation: record_outcome names it in the audit event, a look-up per call.
    for call in talked.select_related("organisation").order_by("started_at")[::2]:
        if call.status in ("connected", "answered"):
            name = rng.choice(
                ["Interested", "Call back later", "Not interested", "Interested", "Already bought"]
            )
        elif call.status == "not_connected":
            name = rng.choice(["No answer", "Switched off / not reachable", "Busy"])
        else:
            continue
        actions.record_outcome(
            call, outcome_id=outcomes[name].pk, note=rng.choice(NOTES), actor=actor, by=agent
        )
    # Recorded here in one go, but dated as each call ended, as an agent recording them through
    # the day would have: the calling queue's "done today" then counts today's calls only.
    talked.filter(disposed_at__isnull=False).update(disposed_at=F("started_at") + dt.timedelta(minutes=2))
