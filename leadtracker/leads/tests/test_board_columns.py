"""The board: each column's header counts and totals the whole column (what the viewer may see),
in one grouped query; a long column shows its first page of cards and pages within itself."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.models import Lead
from leadtracker.leads.views.leads import BOARD_PAGE
from leadtracker.lib.pagination import encode_cursor
from leadtracker.testing import html_region


def status(people, name):
    return people.org.lead_statuses.get(name=name)


def many(people, new_lead, n, *, by, status_name=None, value=None, start=0):
    leads = []
    for i in range(start, start + n):
        lead = new_lead(people, name=f"L{i:03d}", phones=[f"98{i:08d}"], by=by, value=value)
        if status_name:
            change_status(lead, status(people, status_name), actor=Actor.system(), by=None)
        leads.append(lead)
    return leads


def figures(page, status_obj):
    region = html_region(page, f"column-{status_obj.pk}")
    count = next(text for _tag, classes, text in region.elements if "count" in classes)
    total = next(text for _tag, classes, text in region.elements if "total" in classes)
    return count, total


def column_html(page, status_obj):
    return page.split(f'id="column-{status_obj.pk}"')[1].split('<section class="column"')[0]


def card_ids(html):
    return [int(x) for x in re.findall(r'data-lead="(\d+)"', html)]


def more_url(html):
    # A column's "Show more" (the header's search box has an hx-get of its own).
    found = re.search(r'hx-get="([^"]*column=[^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_headers_count_and_total_the_whole_column_in_lakhs_and_crores(acme, new_lead, as_member):
    many(acme, new_lead, 3, by=acme.alice, value="1500000")  # 3 × ₹15 L in New
    many(acme, new_lead, 2, by=acme.alice, status_name="Won", value="6000000", start=10)  # 2 × ₹60 L
    new_lead(acme, name="No value", phones=["97000 00001"], by=acme.alice, value=None)
    page = as_member(acme.alice).get("/leads/board/").content.decode()
    assert figures(page, status(acme, "New")) == ("4 leads", "₹45 L")
    assert figures(page, status(acme, "Won")) == ("2 leads", "₹1.2 Cr")
    assert figures(page, status(acme, "Lost")) == ("0 leads", "₹0")


def test_figures_count_only_what_the_viewer_may_see(acme, new_lead, as_member):
    many(acme, new_lead, 2, by=acme.alice, value="100000")
    many(acme, new_lead, 3, by=acme.bob, value="100000", start=10)
    new = status(acme, "New")
    assert figures(as_member(acme.alice).get("/leads/board/").content.decode(), new) == ("2 leads", "₹2 L")
    assert figures(as_member(acme.bob).get("/leads/board/").content.decode(), new) == ("3 leads", "₹3 L")
    assert figures(as_member(acme.olga).get("/leads/board/").content.decode(), new) == ("5 leads", "₹5 L")


def test_a_long_column_pages_within_itself(acme, new_lead, as_member):
    leads = many(acme, new_lead, BOARD_PAGE + 7, by=acme.alice, value="100000")
    # Follow-ups order the cards: the soonest first, then those without one.
    soon = timezone.now() + dt.timedelta(hours=1)
    for i, lead in enumerate(leads[:5]):
        schedule_follow_up(lead, due_at=soon + dt.timedelta(minutes=i), actor=Actor.system(), by=None)
    client = as_member(acme.alice)
    page = client.get("/leads/board/").content.decode()
    new = status(acme, "New")
    assert figures(page, new) == (f"{BOARD_PAGE + 7} leads", f"₹{BOARD_PAGE + 7} L")
    first = card_ids(column_html(page, new))
    assert len(first) == BOARD_PAGE
    assert first[:5] == [lead.pk for lead in leads[:5]]
    url = more_url(page)
    assert url and f"column={new.pk}" in url
    rest = client.get(url, HTTP_HX_REQUEST="true")
    assert rest.status_code == 200
    second = card_ids(rest.content.decode())
    assert len(second) == 7 and not set(first) & set(second)
    assert set(first) | set(second) == {lead.pk for lead in leads}
    assert more_url(rest.content.decode()) is None  # the last page offers no more
    assert "Show more" not in rest.content.decode()


def test_show_more_keeps_the_search(acme, new_lead, as_member):
    many(acme, new_lead, BOARD_PAGE + 2, by=acme.alice)
    new_lead(acme, name="Zed Other", phones=["97000 00002"], by=acme.alice)
    client = as_member(acme.alice)
    page = client.get("/leads/board/?q=L0").content.decode()
    url = more_url(page)
    assert "q=L0" in url
    rest = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    names = set(Lead.objects.filter(pk__in=card_ids(rest)).values_list("name", flat=True))
    assert names and all(name.startswith("L0") for name in names)


def test_a_column_of_another_organisation_or_a_bad_cursor(acme, globex, as_member):
    client = as_member(acme.alice)
    theirs = globex.org.lead_statuses.first()
    assert client.get(f"/leads/board/?column={theirs.pk}").status_code == 404
    assert client.get("/leads/board/?column=x").status_code == 404
    ours = status(acme, "New")
    forged = encode_cursor(["not a time", "not an id"])
    response = client.get(f"/leads/board/?column={ours.pk}&cursor={forged}")
    assert response.status_code == 400 and b"cursor" in response.content


@pytest.mark.parametrize("extra_statuses", [0, 2])
def test_one_grouped_query_for_the_figures_and_one_per_column_with_cards(
    acme, new_lead, as_member, extra_statuses
):
    """No N+1: the figures are one GROUP BY whatever the number of leads or columns; each
    column with leads costs one query for its first cards, an empty one none."""
    for i in range(extra_statuses):
        acme.org.lead_statuses.create(name=f"Extra {i}", kind="open", position=50 + i)
    client = as_member(acme.maya)
    many(acme, new_lead, 2, by=acme.alice)
    many(acme, new_lead, 2, by=acme.alice, status_name="Won", start=10)
    client.get("/leads/board/")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/leads/board/").status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    small = run()
    many(acme, new_lead, 20, by=acme.alice, start=100)
    many(acme, new_lead, 5, by=acme.alice, status_name="Won", start=200)
    large = run()
    assert len(small) == len(large), (len(small), len(large))
    grouped = [sql for sql in large if "GROUP BY" in sql.upper() and "leads_lead" in sql]
    assert len(grouped) == 1, grouped
    card_queries = [
        sql for sql in large if "ORDER BY" in sql.upper() and '"leads_lead"."next_follow_up_at"' in sql
    ]
    assert len(card_queries) == 2, card_queries  # New and Won; the empty columns ask nothing


def test_a_card_says_what_its_day_is_and_an_agent_is_not_told_her_own_name(acme, new_lead, as_member):
    """A card read "Alice Acme · 6 Dec · ₹15 L": for an agent, whose board holds only her own
    leads, her name on every card, and a day that did not say it was the next follow-up."""
    from leadtracker.lib.formats import day

    lead = new_lead(acme, name="Card lead", phones=["98000 00001"], by=acme.alice, value="1500000")
    due = timezone.now() + dt.timedelta(days=3)
    schedule_follow_up(lead, due_at=due, actor=Actor.system(), by=acme.alice)
    card = column_html(as_member(acme.alice).get("/leads/board/").content.decode(), status(acme, "New"))
    line = card.split('<div class="muted">')[1].split("</div>")[0]
    assert f"follow-up {day(due)}" in line and "₹15 L" in line
    assert "Alice" not in line
    team = column_html(as_member(acme.maya).get("/leads/board/").content.decode(), status(acme, "New"))
    assert "Alice Acme" in team.split('<div class="muted">')[1].split("</div>")[0]
