"""What a dashboard costs: each selector reads a fixed number of queries, whatever the number
of people and days in the range (roll-ups are read whole, never per person or per day)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.models import Membership
from leadtracker.reports import selectors
from leadtracker.reports.selectors import Range
from leadtracker.testing import call, make_lead, open_shift, paired_client, send

EXPECTED = {
    "scope_user_ids": 4,  # the viewer's subtree and its people, then the team's (visibility.py)
    "summary": 1,  # the sums and the waits to call back in one statement
    "by_hour": 1,
    "daily": 1,
    "per_agent": 1,
    "funnel": 1,  # the counts joined to the statuses
    # The whole organisation: the leads at the range's two ends and the kept counts of the whole
    # days between, in one statement.
    "conversion_by_source": 1,
    # The whole organisation's day rows with the first and last call from the edge days; the
    # person-days' waits joined into one text.
    "summary_everyone": 2,
    "by_hour_everyone": 1,
    "daily_everyone": 1,
}


def dashboard(people, rng):
    counts = {}

    def run(name, fn, *args):
        with CaptureQueriesContext(connection) as ctx:
            result = fn(*args)
        counts[name] = len(ctx.captured_queries)
        return result

    # Fresh objects: visibility caches the tree on them.
    viewer = Membership.objects.get(pk=people.maya.pk)
    team = Membership.objects.get(pk=people.mani.pk)
    ids = run("scope_user_ids", selectors.scope_user_ids, viewer, team)
    org = people.org
    run("summary", selectors.summary, org, rng, ids)
    run("by_hour", selectors.by_hour, org, rng, ids)
    run("daily", selectors.daily, org, rng, ids)
    run("per_agent", selectors.per_agent, org, rng, None)
    run("funnel", selectors.funnel, org, ids)
    run("conversion_by_source", selectors.conversion_by_source, org, rng, None)
    run("summary_everyone", selectors.summary, org, rng, None)
    run("by_hour_everyone", selectors.by_hour, org, rng, None)
    run("daily_everyone", selectors.daily, org, rng, None)
    return counts


def test_the_queries_do_not_grow_with_people_or_days(acme):
    rng = Range(selectors.today_in(acme.org) - dt.timedelta(days=29), selectors.today_in(acme.org))
    make_lead(acme, owner=acme.bob)
    open_shift(acme.bob, hours_ago=24 * 10)
    send(paired_client(acme.bob), [call(1, minutes_ago=30)])
    small = dashboard(acme, rng)
    assert small == EXPECTED
    # Five people, ten days each, missed calls returned: the same queries.
    for n, member in enumerate((acme.alice, acme.bob, acme.carl, acme.mani, acme.maya)):
        if member != acme.bob:
            open_shift(member, hours_ago=24 * 10)
        rows = [
            call(100 + i, minutes_ago=60 * 24 * i + 30 + n, number=f"+9198100{n}{i:04d}") for i in range(10)
        ]
        rows += [call(200, type="missed", duration_s=0, minutes_ago=24 * 60 * 5 + n)]
        send(paired_client(member, name=f"phone {n}"), rows)
    assert dashboard(acme, rng) == EXPECTED
    assert sum(d["calls"] for d in selectors.daily(acme.org, rng, None)) >= 50
