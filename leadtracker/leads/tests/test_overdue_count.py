"""The dashboard's overdue follow-ups tile counts what the lead list filtered by "overdue"
shows, for every viewer and team, though it reads the count a cheaper way (selectors.py)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.leads.models import Lead
from leadtracker.leads.selectors import filter_leads, leads_for, overdue_follow_ups


def the_lists_count(viewer, team=None):
    return filter_leads(leads_for(viewer), viewer, team=team, follow_up="overdue").count()


def test_the_tile_counts_what_the_list_shows(acme, globex, new_lead):
    now = timezone.now()
    owners = [acme.alice, acme.bob, acme.carl, acme.maya, acme.mani, None]
    whens = [now - dt.timedelta(days=3), now - dt.timedelta(minutes=2), now + dt.timedelta(hours=1), None]
    n = 0
    for owner in owners:
        for when in whens:
            lead = new_lead(acme, name=f"L{n}", phone=f"98100{n:05d}", owner=owner)
            Lead.objects.filter(pk=lead.pk).update(next_follow_up_at=when)
            n += 1
    other = new_lead(globex, name="Elsewhere", phone="9810099999")
    Lead.objects.filter(pk=other.pk).update(next_follow_up_at=now - dt.timedelta(days=1))

    teams = [None, acme.maya.pk, acme.mani.pk, acme.mark.pk, globex.maya.pk, 999_999]
    for viewer in (acme.olga, acme.adam, acme.maya, acme.mani, acme.mark, acme.alice, acme.bob):
        for team in teams:
            assert overdue_follow_ups(viewer, team=team) == the_lists_count(viewer, team), (viewer, team)
    # Two overdue leads each: six people and nobody; a manager sees their people's and nobody's.
    assert overdue_follow_ups(acme.olga) == 12
    assert overdue_follow_ups(acme.maya) == 2 * 4 + 2  # maya, alice, mani, bob, and nobody's
    assert overdue_follow_ups(acme.mark) == 2 + 2  # carl and nobody's
    assert overdue_follow_ups(acme.olga, team=acme.maya.pk) == 2 * 4  # maya's team, nobody's excluded
    assert overdue_follow_ups(acme.alice) == 2


def test_the_tile_is_one_statement(acme, new_lead):
    lead = new_lead(acme, name="Due", phone="9810012345", owner=acme.alice)
    Lead.objects.filter(pk=lead.pk).update(next_follow_up_at=timezone.now() - dt.timedelta(hours=2))
    for viewer, team, expected in ((acme.olga, None, 1), (acme.olga, acme.maya.pk, 1), (acme.mark, None, 0)):
        viewer.__dict__.pop("_subtree_ids", None)
        with CaptureQueriesContext(connection) as ctx:
            assert overdue_follow_ups(viewer, team=team) == expected
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1, "\n".join(q["sql"] for q in ctx.captured_queries)
