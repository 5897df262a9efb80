"""Demo shifts: two weeks of working days for everyone below the owner, some on shift now."""

import datetime as dt
import random

from django.utils import timezone

from leadtracker.attendance.models import Shift, ShiftSource


def add_demo_shifts(org, members) -> None:
    rng = random.Random(14)
    tz = org.tzinfo
    now = timezone.now()
    today = now.astimezone(tz).date()
    shifts = []
    for member in members.values():
        if member.role == "owner":
            continue
        for back in range(14, -1, -1):
            day = today - dt.timedelta(days=back)
            if day.weekday() == 6:  # Sundays off
                continue
            morning = dt.datetime.combine(day, dt.time(9, 30), tz) + dt.timedelta(
                minutes=rng.randint(-20, 25)
            )
            lunch = dt.datetime.combine(day, dt.time(13, 30), tz) + dt.timedelta(minutes=rng.randint(-15, 15))
            back_in = lunch + dt.timedelta(minutes=rng.randint(30, 55))
            evening = dt.datetime.combine(day, dt.time(18, 30), tz) + dt.timedelta(
                minutes=rng.randint(-30, 40)
            )
            for start, end in ((morning, lunch), (back_in, evening)):
                if start >= now:
                    continue
                open_now = end > now
                shifts.append(
                    Shift(
                        organisation=org,
                        user_id=member.user_id,
                        started_at=start,
                        ended_at=None if open_now else end,
                        started_via=ShiftSource.DEVICE,
                        ended_via="" if open_now else ShiftSource.DEVICE,
                        start_lat=19.07 + rng.random() / 50 if org.shift_location else None,
                        start_lon=72.87 + rng.random() / 50 if org.shift_location else None,
                        start_accuracy_m=rng.randint(5, 40) if org.shift_location else None,
                    )
                )
    Shift.objects.bulk_create(shifts)
