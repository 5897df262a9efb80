from playwright.sync_api import expect


def test_agent_is_refused_a_manager_page(page, live_server, people, login):
    login(page, live_server.url, "alice@acme.test")
    expect(page.locator("nav a:has-text('Members')")).to_have_count(0)
    response = page.goto(f"{live_server.url}/members/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    response = page.goto(f"{live_server.url}/settings/")
    assert response.status == 403


def test_manager_sees_only_their_team(page, live_server, people, login):
    login(page, live_server.url, "mani@acme.test", home=False)
    page.goto(f"{live_server.url}/members/")
    expect(page.locator("h1")).to_have_text("My team")
    expect(page.locator("table")).to_contain_text("bob@acme.test")
    expect(page.locator("table")).not_to_contain_text("alice@acme.test")
