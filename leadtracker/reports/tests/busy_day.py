"""A day's work for the page tests: calls synced through the real API by paired phones
during shifts, leads in several statuses and sources, an overdue follow-up and a missed call
waiting. The roll-ups come from the real upkeep of the sync path."""

import datetime as dt
import time

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.testing import make_lead, open_shift, paired_client, send


def minutes_into_today(org) -> int:
    local = timezone.now().astimezone(org.tzinfo)
    return local.hour * 60 + local.minute


def wait_for_room_in_today(org) -> None:
    """Calls meant for today must begin after the organisation's midnight and end before now, and
    the test must read its pages before the next midnight: in the first three minutes of a day,
    or its last two, there is no such room, so wait until there is (at most six minutes; only a
    run that starts then waits). The clean-clone CI of 7 Dec ran a browser test at 00:00 IST: its
    calls fell on the day before and its dashboard read 0. A clock frozen by a test (CLOCKS) is
    never in that window."""
    for _ in range(360):
        if 3 <= minutes_into_today(org) <= 24 * 60 - 2:
            return
        time.sleep(1)


def calls_for(n0: int, specs, *, latest_minutes_ago: int):
    """Sync rows from (number, type, duration_s), the last one ``latest_minutes_ago`` minutes
    (and 90 s) ago, the others one minute apart before it — closer together when the day in the
    organisation's zone is younger than that, so that calls meant for today do not begin
    yesterday (minutes after midnight)."""
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    now = timezone.now().replace(microsecond=0).astimezone(ist)
    last = now - dt.timedelta(minutes=latest_minutes_ago + 1, seconds=30)
    since_midnight = int((last - last.replace(hour=0, minute=0, second=0)).total_seconds())
    step = 60
    if since_midnight < step * (len(specs) - 1):
        step = since_midnight // len(specs)
    rows = []
    for i, (number, kind, duration) in enumerate(specs):
        started = last - dt.timedelta(seconds=step * (len(specs) - 1 - i))
        rows.append(
            {
                "device_call_id": str(n0 + i),
                "number": number,
                "type": kind,
                "started_at": started.isoformat(),
                "duration_s": duration,
            }
        )
    return rows


def busy_day(people):
    """Alice (Maya's team) and Bob (Mani's team, inside Maya's) and Carl (Mark's team) work
    today. Returns the leads by name."""
    from leadtracker.leads.actions.follow_ups import schedule_follow_up
    from leadtracker.leads.models import LeadSource, LeadStatus

    org = people.org
    wait_for_room_in_today(org)
    won = LeadStatus.objects.filter(organisation=org, kind="won").first()
    web, _ = LeadSource.objects.get_or_create(organisation=org, name="Website")
    fair, _ = LeadSource.objects.get_or_create(organisation=org, name="Trade fair")
    leads = {
        "ravi": make_lead(
            people,
            name="Ravi Patel",
            phone="98765 10001",
            actor=Actor.system(),
            owner=people.alice,
            source=web,
        ),
        "sita": make_lead(
            people,
            name="Sita Rao",
            phone="98765 10002",
            actor=Actor.system(),
            owner=people.alice,
            source=web,
            status=won,
        ),
        "gopal": make_lead(
            people, name="Gopal Das", phone="98765 10003", actor=Actor.system(), owner=people.bob, source=fair
        ),
        "uma": make_lead(
            people, name="Uma Nair", phone="98765 10004", actor=Actor.system(), owner=people.carl, source=fair
        ),
    }
    room = max(1, min(20, minutes_into_today(org) // 4))
    for member in (people.alice, people.bob, people.carl):
        open_shift(member, hours_ago=9)
    alice, bob, carl = (paired_client(m) for m in (people.alice, people.bob, people.carl))
    ok = [
        send(
            alice,
            calls_for(
                100,
                [
                    ("+919876510001", "outgoing", 180),
                    ("+919876510002", "outgoing", 240),
                    ("+919876510001", "outgoing", 0),
                ],
                latest_minutes_ago=room,
            ),
        ),
        send(
            bob,
            calls_for(
                200,
                [("+919876510003", "outgoing", 5), ("+919876510003", "incoming", 95)],
                latest_minutes_ago=room,
            ),
        ),
        send(carl, calls_for(300, [("+919876510004", "missed", 0)], latest_minutes_ago=room)),
    ]
    assert all(r.status_code == 200 for r in ok), [r.content for r in ok]
    schedule_follow_up(
        leads["ravi"],
        due_at=timezone.now() - dt.timedelta(hours=2),
        kind="call",
        note="asked for the brochure",
        assignee_id=people.alice.user_id,
        actor=Actor.system(),
        by=people.alice,
    )
    return leads
