"""The lead loop in a real browser: create, find by number, plan a follow-up, move on the
board, import a spreadsheet and watch the worker finish it."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from e2e.conftest import JOB_DEADLINE_MS


def test_create_find_follow_up_and_move(page, live_server, people, login):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    for i in range(3):  # other leads of hers, so that finding one is a real search
        create_lead(
            people.org,
            LeadData(name=f"Other {i}", phones=[f"91234 5678{i}"]),
            actor=Actor.system(),
            by=people.alice,
        )
    login(page, live_server.url, "alice@acme.test", home=False)
    page.goto(f"{live_server.url}/leads/new/")
    page.fill("input[name=name]", "Sunita Rao")
    page.fill("input[name=phones]", "98765 43210")
    page.fill("input[name=company]", "Rao Textiles")
    page.click("button:has-text('Create lead')")
    expect(page.locator("h1")).to_have_text("Sunita Rao")

    # Find it again by typing the number the way someone else writes it.
    page.goto(f"{live_server.url}/leads/")
    page.fill("#list-filters input[name=q]", "+91-98765-43210")
    page.press("#list-filters input[name=q]", "Enter")
    expect(page.locator("table.leads tbody tr")).to_have_count(1)
    expect(page.locator("table.leads tbody")).to_contain_text("Sunita Rao")
    page.click("table.leads a:has-text('Sunita Rao')")

    next_month = dt.date.today() + dt.timedelta(days=30)  # within the window whatever the year
    page.fill("#follow-up-form input[name=due_at]", f"{next_month.isoformat()}T10:30")
    page.select_option("#follow-up-form select[name=kind]", "visit")
    page.click("button:has-text('Plan follow-up')")
    expect(page.locator(".flash")).to_contain_text("Follow-up planned")
    expect(page.locator("#lead-timeline")).to_contain_text("Planned visit")

    page.goto(f"{live_server.url}/leads/board/")
    card = page.locator(".lead-card", has_text="Sunita Rao")
    card.locator("select[name=status]").select_option(label="Interested")
    card.locator("button:has-text('Move')").click()
    expect(page.locator("section[aria-label='Interested'] .lead-card", has_text="Sunita Rao")).to_be_visible()


def test_drag_on_the_board(page, live_server, people, login):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead
    from leadtracker.leads.models import Lead

    lead, _ = create_lead(
        people.org, LeadData(name="Drag Me", phones=["91234 56789"]), actor=Actor.system(), by=people.alice
    )
    login(page, live_server.url, "alice@acme.test", home=False)
    page.goto(f"{live_server.url}/leads/board/")
    page.drag_and_drop(
        f".lead-card[data-lead='{lead.pk}']",
        "section[aria-label='Contacted']",
        source_position={"x": 4, "y": 4},
    )  # the card's edge, not its link or form
    expect(page.locator("section[aria-label='Contacted'] .lead-card", has_text="Drag Me")).to_be_visible()
    assert Lead.objects.get(pk=lead.pk).status.name == "Contacted"


@pytest.fixture
def worker(start_worker):
    start_worker()


def test_import_a_csv_and_watch_it_finish(page, live_server, people, login, worker, tmp_path):
    rows = (
        ["Customer Name,Mobile No,City"]
        + [f"Person {i},98{i:08d},Pune" for i in range(300)]
        + ["Bad,12,Pune"]
    )
    path = tmp_path / "leads.csv"
    path.write_text("\n".join(rows) + "\n")
    login(page, live_server.url, "maya@acme.test", home=False)
    page.goto(f"{live_server.url}/leads/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Upload')")
    expect(page.locator("select[name=col0]")).to_have_value("name")
    expect(page.locator("select[name=col1]")).to_have_value("phone")
    page.select_option("select[name=owner]", label="Alice Acme")
    page.click("button:has-text('Import')")
    expect(page.locator("progress")).to_be_visible()
    expect(page.locator(".import-state")).to_have_text("Done — 1 error", timeout=JOB_DEADLINE_MS)
    expect(page.locator("#progress")).to_contain_text("300 created")
    issue = page.locator("#import-issues li")
    expect(issue).to_have_count(1)
    expect(issue).to_contain_text("Row 302 · Mobile No")
    expect(issue).to_contain_text("Error — not imported: '12' is too short to be a phone number")
    expect(page.locator("a:has-text('Download every error and warning')")).to_be_visible()
