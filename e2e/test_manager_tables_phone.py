"""A manager's tables on a 360-pixel phone: the leaderboard, the team, the pending invitations,
the recent imports and the audit log are read row by row, each row a card of "label value"
lines, so no column (the leaderboard's flags, a member's role, an import's errors) is out of
sight to the right, not even inside its own scrolling box."""

import pytest
from playwright.sync_api import expect

from leadtracker.accounts.actions import invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.leads.models import ImportJob
from leadtracker.reports.tests.busy_day import busy_day

# Every element that scrolls sideways inside itself, as "tag.class scrollWidth>clientWidth".
SIDEWAYS_BOXES = """() => [...document.querySelectorAll('main *, .page *')].filter((el) => {
  const x = getComputedStyle(el).overflowX;
  return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1;
}).map((el) => `${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`)"""
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def no_sideways(pg):
    assert pg.evaluate(NO_SIDEWAYS_SCROLL)
    assert pg.evaluate(SIDEWAYS_BOXES) == []


@pytest.fixture
def day(people):
    return busy_day(people)


def test_the_leaderboard_and_the_team_on_a_phone(phone, live_server, people, day, login):
    login(phone, live_server.url, "maya@acme.test", home=False)
    phone.goto(f"{live_server.url}/dashboard/?range=7d")
    board = phone.locator("table.leaderboard")
    expect(board.locator("tbody tr")).to_have_count(2)
    no_sideways(phone)
    alice = board.locator("tr", has_text="Alice Acme")
    flags = alice.locator("td").last
    expect(flags).to_have_attribute("data-label", "Flags")  # its column's name beside it
    flags.scroll_into_view_if_needed()
    box = flags.bounding_box()  # on the screen, not off to the right
    assert box["x"] + box["width"] <= 360

    phone.goto(f"{live_server.url}/members/")
    expect(phone.locator("h1")).to_have_text("My team")
    no_sideways(phone)
    role = phone.locator("tr", has_text="Alice Acme").locator("td[data-label='Role']")
    expect(role).to_have_text("Agent")
    box = role.bounding_box()
    assert box["x"] + box["width"] <= 360


def test_members_invitations_imports_and_audit_on_a_phone(phone, live_server, people, login):
    invite_member(people.org, email="new.agent@acme.test", actor=Actor.for_user(people.olga.user))
    ImportJob.objects.create(
        organisation=people.org,
        created_by=people.olga.user,
        file_name="zoho-export-november-2026-all-leads.csv",
        state="done",
        progress=1.0,
        rows=30,
        created=25,
        duplicates=3,
        errors=2,
    )
    assert people.olga.role == Role.OWNER
    login(phone, live_server.url, "olga@acme.test", home=False)
    for path in ("/members/", "/leads/import/", "/audit/"):
        phone.goto(f"{live_server.url}{path}")
        expect(phone.locator("table").first).to_be_visible()
        no_sideways(phone)
    phone.goto(f"{live_server.url}/leads/import/")
    errors = phone.locator("td[data-label='Errors']")
    expect(errors).to_have_text("2")
    box = errors.bounding_box()
    assert box["x"] + box["width"] <= 360
