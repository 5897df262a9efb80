"""Which stretch of time the next pull asks IndiaMART for, and when it may ask.

IndiaMART's pull API takes a start and an end in India's time (``06-Dec-202610:05:00``: day,
month's short name, year and time with nothing between the year and the hour), spanning at most
7 days, and answers CODE 429 to a key that calls more than once in 5 minutes, then refuses it
for about 15 minutes. Pure functions: the cursor's arithmetic is tested without a clock or a
network.

The cursor is the end of the last window whose leads are all stored. The next window starts a
little before it (OVERLAP): a lead whose QUERY_TIME is just before the end of a window can
become visible in the API after that window was read (a phone call is listed when it ends,
stamped when it began), and the overlap reads it again; the payload log drops the repeats by
UNIQUE_QUERY_ID.
"""

import datetime as dt
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")

# IndiaMART asks for no more than one call per key every 5 minutes.
POLL_EVERY = dt.timedelta(minutes=5)
# A 429 blocks the key "for about 15 minutes": wait that and a minute more, since asking early
# would be refused again and could extend the block.
BLOCKED_FOR = dt.timedelta(minutes=16)
# Windows may span 7 days; a minute less keeps clear of their boundary rounding.
MAX_SPAN = dt.timedelta(days=7) - dt.timedelta(minutes=1)
OVERLAP = dt.timedelta(minutes=30)
# A new connector starts with the last day's leads: what IndiaMART itself gives when no time
# is asked, and little enough that leads already imported by hand are not all "back" at once.
FIRST_LOOK_BACK = dt.timedelta(days=1)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def api_time(moment: dt.datetime) -> str:
    """06-Dec-202610:05:00, in India's time, as the API takes it (month names in English
    whatever the server's locale: strftime's %b would follow it)."""
    local = moment.astimezone(IST)
    return f"{local.day:02d}-{_MONTHS[local.month - 1]}-{local.year:04d}{local:%H:%M:%S}"


def parse_api_time(text: str) -> dt.datetime:
    """The reverse of api_time (the fake IndiaMART in the tests reads what we send)."""
    text = text.strip()
    day, month, rest = text.split("-", 2)
    year, clock = rest[:4], rest[4:].strip()
    hour, minute, second = (int(part) for part in clock.split(":"))
    return dt.datetime(
        int(year), _MONTHS.index(month.title()) + 1, int(day), hour, minute, second, tzinfo=IST
    )


def parse_query_time(text: str) -> dt.datetime | None:
    """QUERY_TIME, ``2026-12-06 10:05:31`` in India's time, as an aware datetime; None when
    absent or not of that shape (the lead still counts; the time is only shown)."""
    try:
        return dt.datetime.strptime((text or "").strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=IST)
    except ValueError:
        return None


def next_window(
    cursor: dt.datetime | None, now: dt.datetime, *, added_at: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The (start, end) to ask for: from a little before the cursor, up to now or as far as
    one window may reach. Far behind (a connector paused for a fortnight) it takes 7 days a
    pull and catches up pull by pull. Before the first window is stored, it starts a day before
    the connector was added (``added_at``), not a day before now: first pulls that fail for
    hours would otherwise let that day's start slip; and never more than one window back (a key
    added to a push-only connector months old does not re-read those months)."""
    if cursor is not None:
        start = cursor - OVERLAP
    else:
        start = max((added_at or now) - FIRST_LOOK_BACK, now - MAX_SPAN)
    start = start.replace(microsecond=0)
    end = min(now.replace(microsecond=0), start + MAX_SPAN)
    return start, max(end, start)


def caught_up(cursor: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the cursor reached now (else the next pull goes on with the next 7 days)."""
    return cursor is not None and now - cursor < POLL_EVERY
