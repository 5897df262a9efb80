from playwright.sync_api import expect

from leadtracker.accounts.models import Membership


def test_admin_invites_and_invitee_joins(page, phone, live_server, people, login):
    from django.core import mail

    login(page, live_server.url, "adam@acme.test", home=False)
    page.goto(f"{live_server.url}/members/")
    page.fill("input[name=email]", "neha@example.in")
    page.fill("input[name=full_name]", "नेहा गुप्ता")
    page.select_option("select[name=role]", "agent")
    page.click("button:has-text('Send invitation')")
    expect(page.locator(".flash")).to_contain_text("Invitation sent to neha@example.in")
    link = next(word for word in mail.outbox[-1].body.split() if "/invite/" in word)
    path = link[link.index("/invite/") :]

    guest = phone  # the invitee opens the link on a phone, in a browser of their own
    guest.goto(f"{live_server.url}{path}")
    expect(guest.locator("h1")).to_have_text("Join Acme")
    expect(guest.locator("input[name=full_name]")).to_have_value("नेहा गुप्ता")
    guest.fill("input[name=password]", "a-long-new-password-9")
    guest.click("button:has-text('Join')")
    expect(guest.locator(".flash")).to_contain_text("You have joined Acme")
    expect(guest.locator("h1")).to_have_text("Hello, नेहा")
    assert Membership.objects.get(user__email="neha@example.in").role == "agent"
