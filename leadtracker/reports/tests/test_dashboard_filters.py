"""The dashboard's range picker: presets, custom dates validated with errors naming the field,
and tiles that open their lists with the same filters."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

from leadtracker.testing import clocks, login_client


def today(org):
    return timezone.now().astimezone(org.tzinfo).date()


@clocks()
def test_presets_give_their_days(frozen_at, acme):
    client = login_client(acme.olga)
    day = today(acme.org)
    expected = {
        "today": (day, day),
        "yesterday": (day - dt.timedelta(days=1),) * 2,
        "7d": (day - dt.timedelta(days=6), day),
        "30d": (day - dt.timedelta(days=29), day),
    }
    for key, (start, end) in expected.items():
        scope = client.get(f"/dashboard/?range={key}").context["scope"]
        assert (scope.start, scope.end) == (start, end), key
    assert client.get("/dashboard/").context["scope"].range_key == "7d"


def test_custom_dates(acme):
    response = login_client(acme.olga).get("/dashboard/?range=custom&start=2026-01-01&end=2026-01-31")
    scope = response.context["scope"]
    assert (scope.start, scope.end) == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert len(response.context["charts"]["daily"]["rows"]) == 31


def test_bad_custom_dates_name_the_field(acme):
    client = login_client(acme.olga)
    cases = {
        "range=custom": {
            "start": "enter the first day of the range",
            "end": "enter the last day of the range",
        },
        "range=custom&start=2026-02-10&end=2026-02-01": {"end": "the last day is before the first day"},
        "range=custom&start=2024-01-01&end=2025-12-31": {"start": "a range is at most 366 days"},
        "range=custom&start=not-a-date&end=2026-01-01": {"start": "Enter a valid date."},
        "range=fortnight": {"range": "choose today, yesterday, 7 or 30 days, or custom"},
        "team=abc": {"team": "choose a team from the list"},
        # A superscript two is a digit to str.isdigit() but not a number int() reads: once a 500.
        "team=%C2%B2": {"team": "choose a team from the list"},
    }
    for query, errors in cases.items():
        response = client.get(f"/dashboard/?{query}")
        assert response.status_code == 200, query
        assert response.context["scope"] is None
        assert {k: v[0] for k, v in response.context["form"].errors.items()} == errors, query
        assert "Fix the range above" in response.content.decode()
    tomorrow = today(acme.org) + dt.timedelta(days=1)
    response = client.get(f"/dashboard/?range=custom&start={today(acme.org)}&end={tomorrow}")
    assert response.context["form"].errors == {"end": ["the last day is in the future"]}


def test_tiles_open_their_lists_with_the_same_filters(acme):
    client = login_client(acme.olga)
    response = client.get(f"/dashboard/?range=custom&start=2026-03-01&end=2026-03-07&team={acme.maya.pk}")
    links = response.context["links"]
    calls = urlsplit(links["calls"])
    assert calls.path == "/calls/"
    assert parse_qs(calls.query) == {
        "team": [str(acme.maya.pk)],
        "start": ["2026-03-01"],
        "end": ["2026-03-07"],
    }
    overdue = urlsplit(links["overdue"])
    assert overdue.path == "/leads/" and parse_qs(overdue.query) == {
        "team": [str(acme.maya.pk)],
        "follow_up": ["overdue"],
    }
    assert links["missed"] == f"/calls/missed/?team={acme.maya.pk}" and links["on_shift"] == "/attendance/"
    assert links["timesheets"] == "/attendance/timesheets/?from=2026-03-01&to=2026-03-07"
    page = response.content.decode()
    for key in ("calls", "overdue", "missed", "on_shift"):
        assert f'href="{links[key].replace("&", "&amp;")}"' in page
    # The lists accept those filters: each answers 200 with them, for the same person.
    for key in ("calls", "overdue", "missed", "on_shift", "timesheets"):
        assert client.get(links[key]).status_code == 200, key
