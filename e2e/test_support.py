"""On a 360-pixel phone a member files a support request, an admin answers, the member reads it."""

from playwright.sync_api import expect

from leadtracker.accounts.models import SupportRequest

SUBJECT = "कॉल लॉग नहीं हो रहा है, कृपया जल्दी मदद करें 📞🙏 " + "बहुत" * 20


def fits(pg):
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_member_files_admin_answers_on_a_phone(phone, live_server, people, login):
    people.org.support_email = "help@acme.test"
    people.org.save()
    login(phone, live_server.url, "alice@acme.test")
    phone.click(".menu-button")
    phone.click("nav a:has-text('Help')")
    expect(phone.locator("h1")).to_have_text("Help")
    expect(phone.locator("text=help@acme.test")).to_be_visible()
    phone.fill("input[name=subject]", SUBJECT)
    phone.fill("textarea[name=message]", "Sync fails since morning")
    phone.click("button:has-text('Send request')")
    expect(phone.locator(".flash")).to_contain_text("sent")
    assert fits(phone), "/help/ scrolls sideways at 360 px"
    item = SupportRequest.objects.get()

    phone.context.clear_cookies()
    login(phone, live_server.url, "adam@acme.test", home=False)
    phone.goto(f"{live_server.url}/support/")
    assert fits(phone), "/support/ scrolls sideways at 360 px"
    phone.click(f"a[href='/help/requests/{item.pk}/']")
    # fits() reads the document: wait for the request's page, not the one the click leaves.
    phone.wait_for_url(f"**/help/requests/{item.pk}/")
    expect(phone.locator("textarea[name=answer]")).to_be_visible()
    assert fits(phone), "a support request scrolls sideways at 360 px"
    phone.fill("textarea[name=answer]", "Update the app, then sync again ✅")
    phone.click("button:has-text('Send answer')")
    expect(phone.locator(".flash")).to_contain_text("Answer sent")

    phone.context.clear_cookies()
    login(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}/help/")
    expect(phone.locator("text=Update the app, then sync again ✅")).to_be_visible()
