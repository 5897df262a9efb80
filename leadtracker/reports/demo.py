"""Demo: the dashboard looks alive on first run.

The demo's calls arrive through the real sync path (calls/demo.py), which keeps the roll-ups
up to date as it goes; its shifts are bulk-inserted, so the days are rebuilt once at the end
for their shift hours. One agent games the numbers a little, so the leaderboard's flags show.
"""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.audit import Actor

DEMO_DAYS = 15
GAMER = "imran"


def _gaming_calls(org, member, now) -> None:
    """A burst of 4-second "conversations" and one number dialled again and again, inside
    the agent's latest shift."""
    from leadtracker.attendance.models import Shift
    from leadtracker.calls import sync
    from leadtracker.calls.models import Device

    device = Device.objects.filter(organisation=org, user_id=member.user_id, revoked_at__isnull=True).first()
    shift = (
        Shift.objects.filter(
            organisation=org, user_id=member.user_id, started_at__lt=now - dt.timedelta(minutes=40)
        )
        .order_by("-started_at")
        .first()
    )
    if device is None or shift is None:
        return
    start = shift.started_at + dt.timedelta(minutes=2)
    rows = []
    for i in range(90):
        moment = start + dt.timedelta(seconds=20 * i)
        if shift.ended_at and moment >= shift.ended_at:
            break
        number = "+919800011111" if i % 6 == 0 else f"+9198000{22000 + i:05d}"
        rows.append(
            {
                "device_call_id": f"gaming-{i}",
                "number": number,
                "type": "outgoing",
                "started_at": moment.astimezone(org.tzinfo).isoformat(),
                "duration_s": 0 if i % 6 == 0 else 4,
            }
        )
    sync.sync(device, {"calls": rows}, actor=Actor.system(), now=now)


def add_demo_reports(org, members) -> None:
    from leadtracker.reports.rollups import rebuild

    now = timezone.now()
    if GAMER in members:
        _gaming_calls(org, members[GAMER], now)
    today = now.astimezone(org.tzinfo).date()
    rebuild(org, today - dt.timedelta(days=DEMO_DAYS), today)
