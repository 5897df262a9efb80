"""The outcome sheet's quick follow-up times, worked out on the server in the organisation's
zone at the moment the sheet is saved (never the phone's clock, never the server's zone)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

EVENING = dt.time(18, 0)
MORNING = dt.time(11, 0)

# The chips in the order the sheet shows them, with their labels.
QUICK = {
    "hour": _("In 1 hour"),
    "evening": _("This evening, 6 pm"),
    "tomorrow": _("Tomorrow, 11 am"),
    "monday": _("Monday, 11 am"),
}


def _at(day: dt.date, time: dt.time, tz) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=tz)


def quick_times(now: dt.datetime, tz) -> dict[str, dt.datetime]:
    """{chip: when} for the chips that make sense now. "This evening" is offered until 5 pm
    (later, "in 1 hour" is the evening); "Monday" is the next Monday, a week on when today is
    one, and not offered on a Sunday (it is "tomorrow"). Times are whole minutes."""
    local = now.astimezone(tz)
    today = local.date()
    times = {"hour": (now + dt.timedelta(hours=1)).replace(second=0, microsecond=0)}
    if local.time() < dt.time(17, 0):
        times["evening"] = _at(today, EVENING, tz)
    times["tomorrow"] = _at(today + dt.timedelta(days=1), MORNING, tz)
    monday = _at(today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7), MORNING, tz)
    if monday != times["tomorrow"]:  # on a Sunday the two chips would be one
        times["monday"] = monday
    return times


def quick_chips(now: dt.datetime, tz) -> list[dict]:
    """The chips for the page: key, label and the moment it stands for now; ``hint`` says
    which, where the label alone does not ("in 1 hour": the time; "Monday": the day)."""
    return [
        {"key": key, "label": QUICK[key], "at": at, "hint": {"hour": "clock", "monday": "day"}.get(key)}
        for key, at in quick_times(now, tz).items()
    ]
