"""One way to write times, numbers and money on every page, as Indian readers expect them:
"Today, 4:10 pm", "6 Dec, 11:53 am", "8h 04m", "₹45 L", "₹60,00,000", "1,23,456".

Template builtins (settings.TEMPLATES), so no template needs a ``{% load %}``:

    {{ dt|when }}      Today, 4:10 pm / Yesterday, 9:05 am / Tomorrow, 11:00 am / 6 Dec, 11:53 am
                       (6 Dec 2025, 11:53 am outside this year)
    {{ dt|when:"mid" }}  today, 4:10 pm: inside a sentence ("missed yesterday, 6:17 pm")
    {{ d|day }}        6 Dec (6 Dec 2025 outside this year); a datetime gives its day in the zone
    {{ d|weekday }}    Sun, 6 Dec (Sat, 6 Dec 2025): where the day of the week matters (timesheets)
    {{ dt|clock }}     4:10 pm
    {{ seconds|hm }}   8h 04m, 45m, 0m (|hm:"hours" for a figure in hours: 8.07 -> 8h 04m)
    {{ seconds|duration }}  1:13, 1:02:03 (a call's length, as phones show it)
    {{ seconds|span }} 45s, 2m 10s, 1h 02m (a wait, a talk: a push's text)
    {{ value|inr }}    ₹999, ₹60,000, ₹45 L, ₹1.2 Cr (another currency: |inr:"USD" -> USD 1.2M)
    {{ value|inr_full }}  ₹60,00,000 (|inr_full:"USD" -> USD 6,000,000)
    {{ n|num }}        1,23,456 (|num:1 keeps one decimal: 12.5)
    {{ ratio|pct }}    42% (|pct:1 -> 42.3%)
    {{ d|ymd }}        2026-12-06, for <input type=date> and links' query strings
    {{ dt|iso }}       2026-12-06T16:10:00+05:30, for <time datetime> and machines

In Hindi the words are Hindi ("आज, 4:10 pm", "8 घं 04 मि") and the figures stay as Indian
readers of either language write them: en_IN's months and grouping, whatever language is active.

Times are shown in the current zone (the organisation's, on a page), moved through
``timeutil.to_local`` so that a time near year 1 or 9999 never fails a page. Days are compared
in that zone: "Today" is the organisation's today, not the server's.

Nothing to show (None or "") reads "—", so a blank cell is never mistaken for a page that failed;
a template that wants nothing writes ``{% if value %}``. Am and pm are lower case ("7:07 pm"), as
Indian English writes them and as the browser's Intl en-IN does (static/js).
"""

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from leadtracker.lib.money import short_money
from leadtracker.lib.timeutil import to_local

register = template.Library()

LOCALE = "en_IN"
EMPTY = "—"

# Django's |timesince ("3 days, 2 hours", "waiting 5 minutes") has these words, which Django's
# own Hindi catalogue leaves in English: marked here, they are in ours, which is read first.
TIMESINCE_WORDS = (
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)


def _blank(value) -> bool:
    return value is None or value == ""


def _decimal(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _local(value):
    """A datetime in the current zone; a value Django's |utc marked keeps its own zone."""
    if isinstance(value, dt.datetime) and getattr(value, "convert_to_local_time", True):
        return to_local(value)
    return value


def _today() -> dt.date:
    return timezone.localdate()


def _day_text(day: dt.date, today: dt.date, weekday: bool = False) -> str:
    return _day_at(day, day.year == today.year, weekday)


@functools.lru_cache(maxsize=4096)
def _day_at(day: dt.date, this_year: bool, weekday: bool) -> str:
    """Babel's work, once per day written (the leads page writes one per row: issue 21)."""
    pattern = "d MMM" if this_year else "d MMM y"
    return format_date(day, ("EEE, " if weekday else "") + pattern, locale=LOCALE)


def _clock_text(value: dt.datetime | dt.time) -> str:
    return _clock_at(value.hour, value.minute)


@functools.lru_cache(maxsize=24 * 60)
def _clock_at(hour: int, minute: int) -> str:
    """Babel's work, once per minute of the day (a lead page writes dozens: issue 21)."""
    # CLDR writes en_IN's day periods "am"/"pm" today; lower-casing keeps it so if that changes.
    return format_time(dt.time(hour, minute), "h:mm a", locale=LOCALE).lower()


@register.filter(is_safe=False)
def when(value, place: str = "") -> str:
    """A moment at a glance: "Today, 4:10 pm", "Yesterday, 9:05 am", "6 Dec, 11:53 am".

    ``place="mid"`` is for a moment inside a sentence: the day's name in lower case, "missed
    yesterday, 6:17 pm" (Hindi has no case, so it reads the same)."""
    assert place in ("", "mid"), f"|when: no such place {place!r}"
    if _blank(value):
        return EMPTY
    if not isinstance(value, dt.datetime):
        return day(value)
    local = _local(value)
    today = _today()
    # Only a day next to today is named, so only then is a name translated.
    offset = local.date().toordinal() - today.toordinal()
    if offset == 0:
        name = _("Today")
    elif offset == -1:
        name = _("Yesterday")
    elif offset == 1:
        name = _("Tomorrow")
    else:
        name = _day_text(local.date(), today)
    if place == "mid" and -1 <= offset <= 1:
        name = name.lower()
    return f"{name}, {_clock_text(local)}"


def _day_of(value, weekday: bool) -> str:
    if _blank(value):
        return EMPTY
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if not isinstance(value, dt.date):
        return str(value)
    return _day_text(value, _today(), weekday=weekday)


@register.filter(is_safe=False)
def day(value) -> str:
    """A day: "6 Dec", with its year outside this one ("6 Dec 2025")."""
    return _day_of(value, weekday=False)


@register.filter(is_safe=False)
def weekday(value) -> str:
    """A day with its day of the week: "Sun, 6 Dec"."""
    return _day_of(value, weekday=True)


@register.filter(is_safe=False)
def clock(value) -> str:
    """A time of day: "4:10 pm"."""
    if _blank(value):
        return EMPTY
    if isinstance(value, dt.datetime):
        return _clock_text(_local(value))
    if isinstance(value, dt.time):
        return _clock_text(value)
    return str(value)


@register.filter(is_safe=False)
def hm(seconds, arg=None) -> str:
    """Time spent: "8h 04m", "45m", "0m"; hours grouped like any number ("1,234h 05m").
    ``|hm:"hours"`` reads the figure as hours; ``|hm:org`` groups the hours as |num:org does."""
    amount = None if _blank(seconds) else _decimal(seconds)
    if amount is None:
        return EMPTY
    if arg == "hours":
        amount *= 3600
    sign = "-" if amount < 0 else ""
    minutes = int(abs(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) // 60
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return sign + _("%(minutes)sm") % {"minutes": minutes}
    hours_text = num(hours, None if arg == "hours" else arg)
    return sign + _("%(hours)sh %(minutes)sm") % {"hours": hours_text, "minutes": f"{minutes:02d}"}


@register.filter(is_safe=False)
def span(seconds) -> str:
    """A short wait or talk at a glance: "45s", "2m 10s", "1h 02m" (an hour or more: |hm)."""
    amount = None if _blank(seconds) else _decimal(seconds)
    if amount is None:
        return EMPTY
    whole = int(abs(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if whole >= 3600:
        return hm(whole)
    minutes, secs = divmod(whole, 60)
    if not minutes:
        return _("%(seconds)ss") % {"seconds": secs}
    return _("%(minutes)sm %(seconds)ss") % {"minutes": minutes, "seconds": f"{secs:02d}"}


@register.filter(is_safe=False)
def duration(seconds) -> str:
    """A call's length as phones show it: 73 -> "1:13"; 3723 -> "1:02:03"."""
    amount = None if _blank(seconds) else _decimal(seconds)
    if amount is None:
        return EMPTY
    hours, rest = divmod(int(abs(amount)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _grouping_locale(org) -> str:
    """Lakh and crore for an Indian organisation (and when no organisation is named); the usual
    thousands elsewhere, as their people read figures (|num:org, |hm:org)."""
    region = getattr(org, "phone_region", "IN") if org is not None else "IN"
    return LOCALE if region == "IN" else "en"


@register.filter(is_safe=False)
def num(value, arg=0) -> str:
    """A count or figure, Indian grouping: "1,23,456"; ``|num:1`` keeps one decimal;
    ``|num:org`` groups as the organisation's region reads figures (1,234,567 outside India)."""
    places = arg if isinstance(arg, int) and not isinstance(arg, bool) else 0
    org = None if isinstance(arg, int | str) else arg
    if type(value) is int and places == 0:
        # A plain count (most of a page's figures: ~1,000 on an organisation's dashboard) is its
        # own rounded text: no Decimal to build and quantize.
        return _group_text(str(value), 0, indian=_grouping_locale(org) == LOCALE)
    amount = None if _blank(value) else _decimal(value)
    if amount is None:
        return EMPTY
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _grouped(rounded, places, indian=_grouping_locale(org) == LOCALE)


def _grouped(rounded: Decimal, places: int, *, indian: bool) -> str:
    """What Babel's format_decimal writes for ``rounded`` (already to ``places``) with the
    pattern "#,##,##0" (Indian) or "#,##0" and en_IN's symbols, a tenth of its time: a
    dashboard page writes a thousand figures (lib/tests/test_formats.py holds them equal)."""
    return _group_text(f"{rounded:f}", places, indian=indian)


def _group_text(text: str, places: int, *, indian: bool) -> str:
    """``text``, a rounded figure written out ("-1234567.5"), with its whole part grouped."""
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    whole, _, fraction = text.partition(".")
    if len(whole) > 3:
        head, step, parts = whole[:-3], 2 if indian else 3, []
        while head:
            parts.append(head[-step:])
            head = head[:-step]
        whole = ",".join(reversed(parts)) + "," + whole[-3:]
    return sign + whole + ("." + fraction if places else "")


@register.filter(is_safe=False)
def pct(ratio, digits=0) -> str:
    """A ratio as a percentage: 0.423 -> "42%"; ``|pct:1`` -> "42.3%"."""
    amount = None if _blank(ratio) else _decimal(ratio)
    if amount is None:
        return EMPTY
    return num(amount * 100, digits) + "%"


@register.filter(is_safe=False)
def inr(value, currency="INR") -> str:
    """Money at a glance: "₹999", "₹60,000", "₹45 L", "₹1.2 Cr"; another currency in K/M/B."""
    amount = None if _blank(value) else _decimal(value)
    if amount is None:
        return EMPTY
    return short_money(amount, currency or "INR")


@register.filter(is_safe=False)
def inr_full(value, currency="INR") -> str:
    """Money to the rupee: "₹60,00,000"; another currency keeps its code ("USD 6,000,000")."""
    amount = None if _blank(value) else _decimal(value)
    if amount is None:
        return EMPTY
    whole = amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if (currency or "INR") == "INR":
        return format_currency(whole, "INR", format="¤#,##,##0", currency_digits=False, locale=LOCALE)
    # Lakh grouping would puzzle a reader of dollars or dirhams: their own thousands it is.
    return f"{currency} {whole:,}"


@register.filter(is_safe=False)
def ymd(value) -> str:
    """The day as machines read it (2026-12-06), in the zone: <input type=date>, query strings."""
    if _blank(value):
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@register.filter(is_safe=False)
def iso(value) -> str:
    """The moment as machines read it, with its offset: <time datetime="…">."""
    if _blank(value):
        return ""
    if isinstance(value, dt.datetime):
        return _local(value).replace(microsecond=0).isoformat()
    return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
