"""Times on their way in and on their way out.

In: every date and time a person or a device gives is held to a window around now
(``check_within``). A follow-up in the year 9999 is a typo, and a page that shows it would
have to move it into the organisation's zone, past the last year Python can hold.

Out: ``to_local`` moves a stored time into a zone and never fails. Whatever the checks at the
door, rows from before them, from an import, a restored backup or the database itself can hold
any time; a page that shows one must still render.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leadtracker.lib.errors import ActionError

# A year with its leap day: "within 5 years" then takes the same date five years on, always.
YEAR = dt.timedelta(days=366)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# The widest window of all, for what has no narrower rule of its own: a list's or a report's
# dates, a device's report of its own clock. Wider than any data the app can hold, and narrow
# enough that no zone or day's arithmetic on such a date leaves the years 1 to 9999.
ANY_PAST = 50 * YEAR
ANY_FUTURE = 50 * YEAR


# The refusals' codes in the API's errors (a program reads these; a person, the message).
IN_THE_PAST, IN_THE_FUTURE = "in_the_past", "in_the_future"


def describe(span: dt.timedelta) -> str:
    """5 years, 30 days, 24 hours, 5 minutes: a window as its message names it. A day or
    two reads as hours, as the sync protocol says it: "24 hours in the past"."""
    for unit in (YEAR, DAY, HOUR):
        if span >= (2 * unit if unit == DAY else unit) and span % unit == dt.timedelta(0):
            return _count(unit, span // unit)
    return _count(MINUTE, max(1, round(span / MINUTE)))


def _count(unit: dt.timedelta, n: int) -> str:
    # In the reader's language, as the message around it is.
    if unit == YEAR:
        return ngettext("%(n)s year", "%(n)s years", n) % {"n": n}
    if unit == DAY:
        return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}
    if unit == HOUR:
        return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}
    return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}


def check_within(
    value,
    field: str,
    *,
    past: dt.timedelta | None,
    future: dt.timedelta | None,
    now: dt.datetime | None = None,
):
    """``value`` (an aware datetime, or a date) unchanged when it lies from ``past`` before now
    to ``future`` after it; else a 422 naming ``field`` and the window. None passes (a field
    left out), and so does a side given as None (already bounded by the caller's own rule).

    A date is compared by days in UTC: a filter's day is a whole day anywhere on Earth, and the
    windows are years wide, so a day either way of a zone does not matter."""
    if value is None:
        return None
    now = now or timezone.now()
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ActionError(_("give the time with its UTC offset (RFC 3339)"), field=field, status_code=422)
        earliest = now - past if past is not None else None
        latest = now + future if future is not None else None
    else:
        today = now.astimezone(dt.UTC).date()
        earliest = today - past if past is not None else None
        latest = today + future if future is not None else None
    if earliest is not None and value < earliest:
        raise ActionError(
            _("is more than %(span)s in the past") % {"span": describe(past)},
            field=field,
            status_code=422,
            code=IN_THE_PAST,
        )
    if latest is not None and value > latest:
        raise ActionError(
            _("is more than %(span)s in the future") % {"span": describe(future)},
            field=field,
            status_code=422,
            code=IN_THE_FUTURE,
        )
    return value


def is_within(value, *, past: dt.timedelta | None, future: dt.timedelta | None, now=None) -> bool:
    """check_within as a question, for the places that drop what they cannot use (a page's
    filter typed into the address bar) rather than answer an error."""
    try:
        check_within(value, "", past=past, future=future, now=now)
    except ActionError:
        return False
    return True


def to_local(value: dt.datetime, tz: dt.tzinfo | None = None) -> dt.datetime:
    """``value`` in ``tz`` (default: the current zone, the organisation's on a page). A time
    that the zone would move before year 1 or past 9999 (9999-12-31 23:59 UTC is already the
    year 10000 in India) is given back as it is, in UTC: shown a few hours off, never an error.
    Naive values are returned as they are, as Django's templates do."""
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        return value
    for zone in (tz or timezone.get_current_timezone(), dt.UTC):
        try:
            return value.astimezone(zone)
        except OverflowError:
            continue
    return value  # year 1 with a positive offset: not even UTC holds it


class DayField(forms.DateField):
    """A form's date (a filter's From and To), refused as a form error naming the field when
    outside the window (by default the widest, ANY_PAST to ANY_FUTURE)."""

    def __init__(self, *args, past: dt.timedelta = ANY_PAST, future: dt.timedelta = ANY_FUTURE, **kwargs):
        super().__init__(*args, **kwargs)
        self.past, self.future = past, future

    def validate(self, value):
        super().validate(value)
        try:
            check_within(value, "", past=self.past, future=self.future)
        except ActionError as exc:
            raise forms.ValidationError(exc.message, code="out_of_range") from None
