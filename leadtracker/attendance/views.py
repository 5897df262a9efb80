"""Pages: the punch button, who is on shift, timesheets (and their CSV), correcting a shift."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.idempotency import made_at
from leadtracker.accounts.models import Role
from leadtracker.accounts.visibility import visible_memberships
from leadtracker.attendance import actions, selectors
from leadtracker.lib import spreadsheet
from leadtracker.lib.errors import ActionError
from leadtracker.lib.headers import uses_geolocation
from leadtracker.lib.timeutil import ANY_FUTURE, ANY_PAST, check_within, to_local
from leadtracker.lib.web import safe_back


def _location(request):
    try:
        lat, lon = float(request.POST["lat"]), float(request.POST["lon"])
    except (KeyError, ValueError):
        return None
    try:
        accuracy = float(request.POST.get("accuracy", ""))
    except ValueError:
        accuracy = None
    return actions.Location(lat=lat, lon=lon, accuracy_m=accuracy)


@uses_geolocation  # the punch button asks for the location
@member_required()
def attendance(request):
    member = request.membership
    shift = actions.open_shift(member)
    recent = selectors.shifts_for(member).filter(user_id=member.user_id).order_by("-started_at")[:10]
    context = {"shift": shift, "recent": recent, "now": timezone.now()}
    if member.has_role(Role.MANAGER):
        context["team"] = selectors.on_shift_now(member)
    return render(request, "attendance/attendance.html", context)


@require_POST
@member_required()
def punch(request):
    member = request.membership
    actor = Actor.from_request(request)
    try:
        if request.POST.get("action") == "out":
            actions.punch_out(member, actor=actor, at=made_at(request), location=_location(request))
            messages.success(request, gettext("Punched out. Call tracking has stopped."))
        else:
            _shift, created = actions.punch_in(
                member, actor=actor, at=made_at(request), location=_location(request)
            )
            messages.success(
                request,
                gettext("Punched in. Calls are tracked until you punch out.")
                if created
                else gettext("You were already punched in."),
            )
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect(safe_back(request, "attendance"))


def _period(request, tz):
    today = timezone.now().astimezone(tz).date()

    def day(name, label, default):
        try:
            given = dt.date.fromisoformat(request.GET.get(name, ""))
            return check_within(given, name, past=ANY_PAST, future=ANY_FUTURE)
        except ValueError:
            return default
        except ActionError as exc:
            # A year 9999 typed into the address bar: the usual period instead, and said why.
            messages.error(request, f"{label}: {exc.message}")
            return default

    date_from = day("from", "From", today - dt.timedelta(days=6))
    date_to = day("to", "To", today)
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    date_from = max(date_from, date_to - dt.timedelta(days=92))
    return date_from, date_to


TIMESHEET_COLUMNS = [
    "date",
    "person",
    "email",
    "first_in",
    "last_out",
    "hours",
    "break_minutes",
    "shifts",
    "closed_automatically",
    "corrected",
]


@member_required()
def timesheets(request):
    tz = request.org.tzinfo
    date_from, date_to = _period(request, tz)
    try:
        user_id = int(request.GET.get("user") or 0) or None
    except ValueError:
        user_id = None
    rows = selectors.timesheet(request.membership, date_from, date_to, tz, user_id=user_id)
    if request.GET.get("format") == "csv":
        return spreadsheet.csv_response(
            request,
            f"timesheet-{date_from}-{date_to}.csv",
            TIMESHEET_COLUMNS,
            (
                [
                    r["day"].isoformat(),
                    r["user"].full_name,
                    r["user"].email,
                    r["first_in"].astimezone(tz).strftime("%H:%M"),
                    "" if r["still_open"] else r["last_out"].astimezone(tz).strftime("%H:%M"),
                    f"{r['hours']:.2f}",
                    r["break_minutes"],
                    r["shifts"],
                    "yes" if r["auto_closed"] else "",
                    "yes" if r["corrected"] else "",
                ]
                for r in rows
            ),
            # Names people's hours: who downloaded whose, for which days, is kept.
            audit=spreadsheet.Audit(
                "timesheet.export",
                object_type="timesheet",
                changes={
                    "format": "csv",
                    "from": date_from.isoformat(),
                    "to": date_to.isoformat(),
                    "user": user_id,
                },
            ),
            stream=False,
        )
    people = (
        [m for m in visible_memberships(request.membership).select_related("user")]
        if request.membership.role != Role.AGENT
        else []
    )
    return render(
        request,
        "attendance/timesheets.html",
        {
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "people": people,
            "user_id": user_id,
            "query": request.GET.urlencode(),
        },
    )


@member_required(Role.MANAGER)
def shift_detail(request, shift_id):
    shift = selectors.get_shift(request.membership, shift_id)
    tz = request.org.tzinfo
    if request.method == "POST":

        def parse(name):
            value = request.POST.get(name, "")
            if not value:
                return None
            try:
                return dt.datetime.fromisoformat(value).replace(tzinfo=tz)
            except ValueError:
                raise ActionError(gettext("not a date and time"), field=name) from None

        try:
            started = parse("started_at")
            if started is None:
                raise ActionError(gettext("give the start"), field="started_at")
            actions.correct_shift(
                shift,
                started_at=started,
                ended_at=parse("ended_at"),
                reason=request.POST.get("reason", ""),
                actor=Actor.from_request(request),
                by=request.membership,
            )
        except ActionError as exc:
            # Re-rendered with what was typed and the error beside its field's name: a refused
            # correction never looks like a page that merely reloaded.
            context = {
                "shift": shift,
                "error": {"label": SHIFT_FIELDS.get(exc.field, exc.field), "message": exc.message},
                "values": {name: request.POST.get(name, "") for name in SHIFT_FIELDS},
            }
            return render(request, "attendance/shift.html", context, status=422)
        else:
            messages.success(request, gettext("Shift corrected."))
            return redirect("timesheets")

    def local(moment):
        # to_local: a shift stored near year 9999 is shown in UTC rather than breaking the page.
        return to_local(moment, tz).strftime("%Y-%m-%dT%H:%M") if moment else ""

    values = {"started_at": local(shift.started_at), "ended_at": local(shift.ended_at), "reason": ""}
    return render(request, "attendance/shift.html", {"shift": shift, "error": None, "values": values})


# The correction form's fields, by the names the action's errors use.
SHIFT_FIELDS = {"started_at": "Started", "ended_at": "Ended", "reason": "Why"}
