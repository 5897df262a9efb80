"""The board in a real browser: the page never scrolls sideways (the columns do, inside the
board), every column can be reached at 1280 px, each column shows its count and total value,
and a long column shows more of itself on request."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import NO_WORKER, log_in

SHOTS = Path(__file__).parent / "screenshots"


def no_sideways_scroll(pg):
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def full_board(people):
    """Leads in every status, with long names (the screen-reader label of each card's Move
    menu says "Move <name> to"), and one long column of 55 in New."""
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, change_status, create_lead

    statuses = list(people.org.lead_statuses.order_by("position"))
    n = 0
    for status in statuses:
        for _ in range(55 if status.name == "New" else 2):
            lead, _ = create_lead(
                people.org,
                LeadData(
                    name=f"Lakshmi Narayanan Venkataraman {n}",
                    phones=[f"98{n:08d}"],
                    value="1500000",
                ),
                actor=Actor.system(),
                by=people.alice,
            )
            if status.name != "New":
                change_status(lead, status, actor=Actor.system(), by=None)
            n += 1
    return statuses


def sign_in(pg, base_url):
    log_in(pg, base_url, "alice@acme.test", home=False)  # each test opens the board next


@pytest.mark.parametrize("width", [360, 1280])
def test_the_page_never_scrolls_sideways_and_every_column_is_reachable(
    browser, live_server, full_board, width
):
    context = browser.new_context(
        service_workers=NO_WORKER, viewport={"width": width, "height": 800}, locale="en-IN"
    )
    pg = context.new_page()
    try:
        sign_in(pg, live_server.url)
        pg.goto(f"{live_server.url}/leads/board/")
        assert no_sideways_scroll(pg), f"the board page scrolls sideways at {width} px"
        if width >= 900:
            # On a desktop the board (and so its sideways scrollbar) fits the window: a long
            # column scrolls within itself instead of pushing the scrollbar off the screen.
            board = pg.locator(".board").bounding_box()
            assert board["y"] + board["height"] <= 800, board
        columns = pg.locator("section.column")
        expect(columns).to_have_count(len(full_board))
        for i, status in enumerate(full_board):
            column = columns.nth(i)
            heading = column.locator("h2")
            heading.scroll_into_view_if_needed()
            expect(heading).to_have_text(status.name)
            box = heading.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (status.name, box)
            # Reaching it scrolled the board, not the page.
            assert pg.evaluate("window.scrollX") == 0, status.name
            assert no_sideways_scroll(pg), status.name
            # Its Move menu is reachable too (the no-script way of changing a status).
            move = column.locator(".lead-card select[name=status]").first
            move.scroll_into_view_if_needed()
            move_box = move.bounding_box()
            assert move_box["x"] >= 0 and move_box["x"] + move_box["width"] <= width, (status.name, move_box)
        SHOTS.mkdir(exist_ok=True)
        pg.evaluate("document.querySelector('.board').scrollLeft = 0")
        pg.evaluate("window.scrollTo(0, 0)")
        pg.screenshot(path=str(SHOTS / f"board-{width}.png"))
    finally:
        context.close()


def test_each_column_shows_its_count_and_total(phone, live_server, full_board):
    sign_in(phone, live_server.url)
    phone.goto(f"{live_server.url}/leads/board/")
    new = phone.locator("section.column[aria-label='New']")
    expect(new.locator(".column-figures")).to_have_text("55 leads · ₹8.3 Cr")
    won = phone.locator("section.column[aria-label='Won']")
    won.locator("h2").scroll_into_view_if_needed()
    expect(won.locator(".column-figures")).to_have_text("2 leads · ₹30 L")


def test_a_long_column_shows_more_of_itself(phone, live_server, full_board):
    sign_in(phone, live_server.url)
    phone.goto(f"{live_server.url}/leads/board/")
    new = phone.locator("section.column[aria-label='New']")
    expect(new.locator(".lead-card")).to_have_count(50)
    more = new.locator("a:has-text('Show more')")
    more.scroll_into_view_if_needed()
    more.click()
    expect(new.locator(".lead-card")).to_have_count(55)
    expect(new.locator("a:has-text('Show more')")).to_have_count(0)
    names = new.locator(".lead-card > a").all_inner_texts()
    assert len(set(names)) == 55  # no card twice
    assert no_sideways_scroll(phone)
