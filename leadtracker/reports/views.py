"""Pages: the manager's dashboard (with its CSV downloads) and the agent's day.

Figures of past calls come from the roll-ups (reports.selectors), never from raw calls;
what is true only *now* (who is on shift, call-backs waiting, follow-ups overdue, phones)
comes from the live selectors of the app that owns it.
"""

import datetime as dt
import html
import statistics
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Membership, Role
from leadtracker.accounts.visibility import sees_unowned, teams_for
from leadtracker.attendance.actions import open_shift
from leadtracker.attendance.selectors import users_on_shift
from leadtracker.calls.models import CallStatus, Device
from leadtracker.calls.selectors import health_counts, missed_to_return
from leadtracker.leads import colours
from leadtracker.leads.selectors import agenda, overdue_follow_ups
from leadtracker.lib import formats, spreadsheet
from leadtracker.lib.headers import uses_geolocation
from leadtracker.lib.web import labelled
from leadtracker.reports import selectors
from leadtracker.reports.forms import DEFAULT_RANGE, DashboardFilterForm


@dataclass
class Scope:
    """What a dashboard request asks for, once checked against what the viewer may see."""

    start: dt.date
    end: dt.date
    range_key: str
    team: Membership | None
    user_ids: list[int] | None

    @property
    def rng(self):
        return selectors.Range(self.start, self.end)

    def query(self) -> dict:
        q = {"range": self.range_key}
        if self.range_key == "custom":
            q.update(start=self.start.isoformat(), end=self.end.isoformat())
        if self.team is not None:
            q["team"] = self.team.pk
        return q


def read_scope(request) -> tuple[DashboardFilterForm, Scope | None]:
    """The filter form and, when it is valid, the scope. A team the viewer may not see —
    another organisation's, or outside a manager's subtree — is a 404, like any object."""
    viewer = request.membership
    org = request.org
    today = timezone.now().astimezone(org.tzinfo).date()
    teams = teams_for(viewer)
    raw_team = request.GET.get("team", "")
    if raw_team.isdecimal() and int(raw_team) not in {t.pk for t in teams}:
        raise Http404("no such team")
    data = request.GET.copy()
    data.setdefault("range", DEFAULT_RANGE)
    whole = _("Whole organisation") if viewer.has_role(Role.ADMIN) else _("Everyone in my teams")
    form = DashboardFilterForm(data, teams=teams, whole_label=whole, today=today)
    if not form.is_valid():
        return form, None
    key = form.cleaned_data["range"] or DEFAULT_RANGE
    if key == "custom":
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = selectors.range_for(org, key, today=today)
    team = next((t for t in teams if t.pk == form.cleaned_data["team"]), None)
    return form, Scope(
        start=start,
        end=end,
        range_key=key,
        team=team,
        user_ids=selectors.scope_user_ids(viewer, team),
    )


# --- live figures: what is true now, not what the roll-ups hold ------------------------------


def live_figures(viewer: Membership, scope: Scope) -> dict:
    ids = scope.user_ids
    if ids is None:
        # The whole organisation: both counts from what the database keeps, in one statement
        # (counting them live read ~175,000 and ~155,000 index entries at ten million calls).
        counts = selectors.organisation_live_counts(viewer.organisation_id)
    else:
        # A team's call-backs are its people's; a manager's own scope adds those nobody has,
        # which managers hand out (calls.selectors.waiting_call_backs, the list behind the tile).
        nobody = scope.team is None and sees_unowned(viewer)
        counts = {
            "missed_waiting": selectors.open_call_backs_of(viewer.organisation_id, ids, nobody=nobody),
            "overdue_follow_ups": overdue_follow_ups(viewer, team=scope.team.pk if scope.team else None),
        }
    devices = health_counts(viewer, ids)
    return {
        "on_shift": len(users_on_shift(viewer.organisation_id, ids)),
        **counts,
        "devices": devices["devices"],
        "devices_stale": devices["stale"],
        "devices_revoked": devices["revoked"],
        "devices_flagged": devices["flagged"],
    }


def tile_links(scope: Scope, org) -> dict:
    """Each tile opens the list behind it, filtered the same way where the list can be."""
    team = {"team": scope.team.pk} if scope.team else {}
    days = {"start": scope.start.isoformat(), "end": scope.end.isoformat()}
    calls = reverse("calls") + "?" + urlencode({**team, **days})
    return {
        "calls": calls,
        "on_shift": reverse("attendance"),
        # Counted like the tile: call-backs assigned to the team's people (calls.views.missed).
        "missed": reverse("missed_calls") + ("?" + urlencode(team) if team else ""),
        "overdue": reverse("lead_list") + "?" + urlencode({**team, "follow_up": "overdue"}),
        "timesheets": reverse("timesheets") + "?" + urlencode({"from": days["start"], "to": days["end"]}),
        "devices": reverse("devices"),
    }


# --- charts: one table of figures per chart, drawn by static/js/dashboard.js ----------------


STATUS_ORDER = [
    "connected",
    "answered",
    "not_connected",
    "missed",
    "rejected",
    "blocked",
    "voicemail",
    "answered_elsewhere",
]


def _statuses_present(rows) -> list[str]:
    """Only the statuses that occur: eight mostly-empty series would bury the chart."""
    return [s for s in STATUS_ORDER if any(row.get(s) for row in rows)]


def bar_colours(rows: list[dict]) -> list[dict]:
    """Each bar's palette colour, row for row: ``fill`` the chip's background, ``edge`` its text
    colour (a light fill alone would fade into the page; the dark edge keeps the bar's shape).
    Beside the tables rather than in them, so the CSV downloads stay figures only."""
    out = []
    for row in rows:
        # A name the palette no longer has (an older row) draws grey rather than failing the page.
        _label, fill, edge = colours.PALETTE.get(row["colour"], colours.PALETTE["slate"])
        out.append({"name": row["colour"], "fill": fill, "edge": edge})
    return out


def chart_tables(org, scope: Scope) -> dict:
    """Every chart as a table: ``columns`` (header), ``rows`` (lists). The same tables feed
    the charts and the CSV downloads, so what is drawn is what is downloaded."""
    rng, ids = scope.rng, scope.user_ids
    hours = selectors.by_hour(org, rng, ids)
    hour_statuses = _statuses_present(hours)
    agents = selectors.per_agent(org, rng, ids)
    agent_statuses = _statuses_present(agents)
    days = selectors.daily(org, rng, ids)
    funnel = selectors.funnel(org, ids)
    sources = selectors.conversion_by_source(org, rng, ids)
    return {
        "hours": {
            "title": _("Calls by hour of day"),
            "columns": ["hour", *hour_statuses],
            "rows": [[f"{h['hour']:02d}:00", *[h[s] for s in hour_statuses]] for h in hours],
        },
        "agents": {
            "title": _("Calls per agent by status"),
            "columns": ["agent", *agent_statuses],
            "rows": [[a["name"], *[a[s] for s in agent_statuses]] for a in agents],
        },
        "daily": {
            "title": _("Daily trend"),
            "columns": ["date", "calls", "conversations", "talk_minutes"],
            "rows": [
                [d["date"].isoformat(), d["calls"], d["talked"], round(d["talk_seconds"] / 60)] for d in days
            ],
        },
        "funnel": {
            "title": _("Leads by status"),
            "columns": ["status", "leads"],
            "rows": [[f["name"], f["leads"]] for f in funnel],
            "colours": bar_colours(funnel),
        },
        "sources": {
            "title": _("Conversion by source (leads created in the range)"),
            "columns": ["source", "leads", "won", "conversion_percent"],
            "rows": [[s["name"], s["leads"], s["won"], round(100 * s["rate"], 1)] for s in sources],
            "colours": bar_colours(sources),
        },
        "_leaderboard": agents,
    }


def flag_legend() -> list[dict]:
    """What each gaming flag means, with the thresholds the selectors use."""
    return [
        {
            "key": "short_calls",
            "label": _("Short calls"),
            "help": _(
                "at least %(min)s conversations under 10 seconds, and %(share)s or more of all their "
                "conversations"
            )
            % {"min": selectors.SHORT_CALLS_FLAG_MIN, "share": f"{selectors.SHORT_CALLS_FLAG_SHARE:.0%}"},
        },
        {
            "key": "repeat_dials",
            "label": _("Same number again and again"),
            "help": _("%(n)s or more outgoing calls to one number in one day")
            % {"n": selectors.REPEAT_DIAL_FLAG},
        },
        {
            "key": "low_talk",
            "label": _("Many calls, little talk"),
            "help": _(
                "calls at least %(high)s× the group's median while talk per call is at most %(low)s× the "
                "median (compared in groups of %(group)s or more)"
            )
            % {
                "high": selectors.HIGH_CALLS_FACTOR,
                "low": selectors.LOW_TALK_FACTOR,
                "group": selectors.LOW_TALK_MIN_GROUP,
            },
        },
    ]


def with_flag_labels(agents: list[dict]) -> list[dict]:
    legend = {f["key"]: f for f in flag_legend()}
    for a in agents:
        a["flag_list"] = [legend.get(k, {"key": k, "label": k, "help": ""}) for k in a["flags"]]
    return agents


NO_FLAGS = '<span class="muted">–</span>'


def leaderboard_rows(agents: list[dict], org, scope: Scope) -> str:
    """The leaderboard's table rows, written here rather than by a template loop: 200 agents'
    rows were most of the organisation's page's template time (a variable lookup and a filter
    call through the engine for each of ~2,000 cells). The same markup; every value escaped."""
    calls_url = reverse("calls")
    start, end = formats.ymd(scope.start), formats.ymd(scope.end)
    num, hm = formats.num, formats.hm
    # Each figure's column name, which a phone shows beside it (app.css, table.stack).
    said = {
        key: html.escape(str(label), quote=True)
        for key, label in (
            ("calls", _("Calls")),
            ("talked", _("Conversations")),
            ("talk", _("Talk time")),
            ("short", _("Under 10 s")),
            ("same", _("Most to one number")),
            ("flags", _("Flags")),
        )
    }
    rows = []
    for a in agents:
        # html.escape is what django.utils.html.escape applies (without its lazy-string wrapper).
        flags = "".join(
            f'<span class="badge off" title="{html.escape(str(f["help"]))}">'
            f"{html.escape(str(f['label']))}</span> "
            for f in a["flag_list"]
        )
        rows.append(
            f'<tr><td><a href="{calls_url}?user={a["user_id"]}&amp;start={start}&amp;end={end}">'
            f"{html.escape(str(a['name']))}</a></td>"
            f'<td data-label="{said["calls"]}">{html.escape(num(a["calls"], org))}</td>'
            f'<td data-label="{said["talked"]}">{html.escape(num(a["talked"], org))}</td>'
            f'<td data-label="{said["talk"]}">{html.escape(hm(a["talk_seconds"], org))}</td>'
            f'<td data-label="{said["short"]}">{html.escape(num(a["short_calls"], org))}</td>'
            f'<td data-label="{said["same"]}">{html.escape(num(a["max_same_number"], org))}</td>'
            f'<td data-label="{said["flags"]}">{flags or NO_FLAGS}</td></tr>'
        )
    # Safe: the URL is our own route, the ids and dates are numbers and ISO dates, and every
    # other value (names, figures, the column names, the flags' words) went through html.escape above.
    return mark_safe("\n".join(rows))  # noqa: S308  # nosec B308 B703


CHARTS = ("hours", "agents", "daily", "funnel", "sources")


def chart_words() -> dict:
    """dashboard.js's words, in the reader's language: each series' name (a column of the tables
    above, which stay keys for the CSV downloads) and the tooltip of the sources' chart."""
    series = {status.value: status.label for status in CallStatus}
    series.update(
        calls=_("Calls"),
        conversations=_("Conversations"),
        talk_minutes=_("Talk (minutes)"),
        leads=_("Leads"),
        won=_("Won"),
        conversion_percent=_("Conversion %"),
    )
    return {
        **{f"series_{key}": str(label) for key, label in series.items()},
        "conversion": _("Conversion %(percent)s"),
    }


def has_figures(rows) -> bool:
    """Whether a chart would draw anything: a range without calls still has its days and hours,
    each at zero, and bare axes tell nobody what to do (the page says it in a sentence)."""
    return any(value for row in rows for value in row[1:])


@member_required()
def dashboard(request):
    viewer = request.membership
    if not viewer.has_role(Role.MANAGER):
        return redirect("my_day")
    form, scope = read_scope(request)
    context = {"form": form, "scope": scope}
    if scope is not None:
        tables = chart_tables(request.org, scope)
        context.update(
            summary=selectors.summary(request.org, scope.rng, scope.user_ids),
            live=live_figures(viewer, scope),
            links=tile_links(scope, request.org),
            leaderboard=with_flag_labels(tables.pop("_leaderboard")),
            charts={k: {**tables[k], "empty": not has_figures(tables[k]["rows"])} for k in CHARTS},
            span_days=(scope.end - scope.start).days + 1,
            query=urlencode(scope.query()),
            flag_legend=flag_legend(),
            chart_words=chart_words(),
        )
        context["leaderboard_rows"] = leaderboard_rows(context["leaderboard"], request.org, scope)
    template = "reports/_dash.html" if request.headers.get("HX-Request") else "reports/dashboard.html"
    return render(request, template, context)


@member_required(Role.MANAGER)
def dashboard_csv(request):
    chart = request.GET.get("chart", "")
    if chart not in CHARTS:
        return HttpResponse(
            f"chart: choose one of {', '.join(CHARTS)}", status=422, content_type="text/plain; charset=utf-8"
        )
    form, scope = read_scope(request)
    if scope is None:
        errors = "; ".join(labelled(form, field, " ".join(msgs)) for field, msgs in form.errors.items())
        return HttpResponse(errors, status=422, content_type="text/plain; charset=utf-8")
    table = chart_tables(request.org, scope)[chart]
    team = f"-team{scope.team.pk}" if scope.team else ""
    # The agents chart names people: who downloaded which figures is kept.
    audit = spreadsheet.Audit(
        "dashboard.export",
        object_type="dashboard_chart",
        object_id=chart,
        changes={"format": "csv", **scope.query()},
    )
    return spreadsheet.csv_response(
        request,
        f"{chart}-{scope.start}-{scope.end}{team}.csv",
        table["columns"],
        table["rows"],
        audit=audit,
        stream=False,
    )


# --- the agent's day ------------------------------------------------------------------------


def team_user_ids(viewer: Membership) -> list[int]:
    """The people an agent is compared with: everyone with the same manager (themself
    included); an agent with no manager is compared with themself."""
    if viewer.reports_to_id is None:
        return [viewer.user_id]
    return list(
        Membership.objects.filter(
            organisation_id=viewer.organisation_id,
            reports_to_id=viewer.reports_to_id,
            role=Role.AGENT,
            is_active=True,
        ).values_list("user_id", flat=True)
    )


MY_NUMBERS = [
    ("calls", gettext_lazy("Calls")),
    ("talked", gettext_lazy("Conversations")),
    ("talk_seconds", gettext_lazy("Talk time")),
    ("unique_leads", gettext_lazy("Leads called")),
]


def my_numbers(org, viewer: Membership, today: dt.date) -> list[dict]:
    """Today's figures for the viewer beside the median of their team (colleagues are never
    shown one by one: an agent sees only the median)."""
    rng = selectors.Range(today, today)
    ids = team_user_ids(viewer)
    rows = {r["user_id"]: r for r in selectors.per_agent(org, rng, ids)}
    mine = rows.get(viewer.user_id, {})
    out = []
    for key, label in MY_NUMBERS:
        team_values = [rows.get(uid, {}).get(key, 0) or 0 for uid in ids]
        out.append(
            {
                "key": key,
                "label": label,
                "mine": mine.get(key, 0) or 0,
                "median": statistics.median(team_values) if team_values else 0,
                "seconds": key == "talk_seconds",
            }
        )
    return out


@uses_geolocation  # the punch button asks for the location
@member_required()
def my_day(request):
    viewer = request.membership
    org = request.org
    tz = org.tzinfo
    now = timezone.now()
    plan = agenda(viewer, tz, now=now)
    next_follow_ups = (plan["overdue"] + plan["today"] + plan["upcoming"])[:10]
    missed = [c for c in missed_to_return(viewer, limit=20) if c.assignee_id in (viewer.user_id, None)]
    context = {
        "shift": open_shift(viewer),
        "follow_ups": next_follow_ups,
        "overdue_count": len(plan["overdue"]),
        "missed": missed,
        "numbers": my_numbers(org, viewer, now.astimezone(tz).date()),
        "now": now,
        # Her first day: until the phone she calls from is paired, none of her calls reaches a lead.
        "has_phone": Device.objects.filter(
            organisation=org, user_id=viewer.user_id, revoked_at__isnull=True
        ).exists(),
    }
    return render(request, "reports/my_day.html", context)


@member_required()
def landing(request):
    """The first page after signing in: managers and above their dashboard, agents their day."""
    if request.membership.has_role(Role.MANAGER):
        return dashboard(request)
    return my_day(request)
