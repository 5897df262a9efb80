"""A lead's page on a 360 px phone: every link is at least 24 px tall (WCAG 2.2 2.5.8, Target
Size Minimum) — inline links ("Edit", "Change or cancel", a number's "Copy"…) were 19 px, too
small for a thumb (review tc). The extra height is padding on inline boxes, which moves no line:
on a desktop the page's blocks sit exactly where they sat without it."""

import datetime as dt

from e2e.conftest import NO_WORKER, log_in

SHORT_LINKS_JS = """() => [...document.querySelectorAll("main a[href], main summary")]
  .filter((el) => el.checkVisibility({visibilityProperty: true}))
  .map((el) => ({text: el.textContent.trim().slice(0, 40), h: el.getBoundingClientRect().height}))
  .filter((l) => l.h < 24)"""

BLOCK_TOPS_JS = """() => [...document.querySelectorAll("main :is(section, li, p, h1, h2, dd)")]
  .map((el) => Math.round(el.getBoundingClientRect().top * 10) / 10)"""

# Through the CSSOM, which the Content-Security-Policy allows (a <style> tag it refuses).
NO_PADDING_JS = """() => document.querySelectorAll("main a:not(.button)")
  .forEach((el) => el.style.setProperty("padding-block", "0", "important"))"""


def _lead(people):
    from django.utils import timezone

    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.follow_ups import schedule_follow_up
    from leadtracker.leads.actions.leads import LeadData, add_note, create_lead

    lead, _ = create_lead(
        people.org,
        LeadData(
            name="Lakshmi Mehta",
            phones=["98765 43210"],
            email="lakshmi@example.in",
            company="Sai Infra Developers Pvt Ltd",
            value="2500000",
            owner_id=people.alice.user_id,
        ),
        actor=Actor.system(),
        by=people.maya,
    )
    add_note(lead, "Wants a 3 BHK near the metro", actor=Actor.system(), by=people.alice)
    schedule_follow_up(
        lead, due_at=timezone.now() + dt.timedelta(hours=3), actor=Actor.system(), by=people.alice
    )
    return lead


def test_every_link_on_a_lead_page_is_a_thumb_s_target(browser, live_server, people):
    lead = _lead(people)
    for width in (360, 1280):
        context = browser.new_context(
            service_workers=NO_WORKER,
            viewport={"width": width, "height": 800},
            locale="en-IN",
            timezone_id="Asia/Kolkata",
        )
        page = context.new_page()
        log_in(page, live_server.url, "alice@acme.test", home=False)
        page.goto(f"{live_server.url}/leads/{lead.pk}/")
        short = page.evaluate(SHORT_LINKS_JS)
        assert short == [], f"{width}: {short}"
        page.locator(".templates > summary").click()  # each ready message's WhatsApp · SMS
        short = page.evaluate(SHORT_LINKS_JS)
        assert short == [], f"{width}, messages open: {short}"
        if width > 360:
            # The padding that makes the targets tall moves nothing on a desktop.
            tops = page.evaluate(BLOCK_TOPS_JS)
            page.evaluate(NO_PADDING_JS)
            assert page.evaluate(BLOCK_TOPS_JS) == tops
        context.close()
