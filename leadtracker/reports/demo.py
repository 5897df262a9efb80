"""Demo: the dashboard looks alive on first run.

The demo's calls arrive through the real sync path (calls/demo.py), which keeps the roll-ups
up to date as it goes; its shifts are bulk-inserted, so the days are rebuilt once at the end
for their shift hours. One agent games the numbers a little, so the leaderboard's flags show.
"""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance.models import Shift
from leadtracker.calls import sync
from leadtracker.calls.models import Device
from leadtracker.reports.rollups import rebuild

DEMO_DAYS = 15
GAMER = "imran"


# Each working day the gaming agent makes a burst of this many calls, every fourth to the same
# number and the rest 4-second "conversations": about as many as his real ones, so both flags
# show for any day and any seven days, whichever days those are. (One burst in the latest shift
# fell under the short-call share in a week of six working days: the test failed on Sundays.)
BURST = 40
REDIAL_EVERY = 4


def _gaming_calls(org, member, now) -> None:
    """The agent's bursts, each inside the last shift of its day that began 40 minutes ago or
    more (the phone uploads only calls made on shift)."""
    device = Device.objects.filter(organisation=org, user_id=member.user_id, revoked_at__isnull=True).first()
    if device is None:
        return
    last_of_day = {}
    for shift in Shift.objects.filter(
        organisation=org, user_id=member.user_id, started_at__lt=now - dt.timedelta(minutes=40)
    ).order_by("started_at"):
        last_of_day[shift.started_at.astimezone(org.tzinfo).date()] = shift
    rows = []
    for day, shift in sorted(last_of_day.items()):
        start = shift.started_at + dt.timedelta(minutes=2)
        for i in range(BURST):
            moment = start + dt.timedelta(seconds=20 * i)
            if shift.ended_at and moment >= shift.ended_at:
                break
            redial = i % REDIAL_EVERY == 0
            rows.append(
                {
                    "device_call_id": f"gaming-{day.isoformat()}-{i}",
                    "number": "+919800011111" if redial else f"+9198000{22000 + i:05d}",
                    "type": "outgoing",
                    "started_at": moment.astimezone(org.tzinfo).isoformat(),
                    "duration_s": 0 if redial else 4,
                }
            )
    for first in range(0, len(rows), sync.MAX_CALLS):
        sync.sync(device, {"calls": rows[first : first + sync.MAX_CALLS]}, actor=Actor.system(), now=now)


def add_demo_reports(org, members) -> None:
    now = timezone.now()
    if GAMER in members:
        _gaming_calls(org, members[GAMER], now)
    today = now.astimezone(org.tzinfo).date()
    rebuild(org, today - dt.timedelta(days=DEMO_DAYS), today)
