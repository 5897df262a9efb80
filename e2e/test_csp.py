"""The main pages run in Chromium under the Content-Security-Policy without a single violation.

The HTML crawl (leadtracker/tests/test_csp_pages.py) finds inline code in templates; this finds
what only a browser sees: a script that injects a <style> or sets a style attribute, eval in a
library, a chart that cannot draw. Every violation the browser reports (the
securitypolicyviolation event and its console message) fails the test.
"""

import pytest
from django.urls import Resolver404, resolve

from leadtracker.accounts.audit import Actor

PAGES = [
    "/",
    "/dashboard/",  # the reports app's dashboard with its Chart.js charts, where it exists
    "/my-day/",
    "/leads/",
    "/leads/{lead}/",
    "/leads/board/",
    "/leads/new/",
    "/leads/import/",
    "/calls/",
    "/calls/recent/",
    "/calls/missed/",
    "/attendance/",
    "/attendance/timesheets/",
    "/members/",
    "/settings/",
    "/settings/organisation/",
    "/audit/",
    "/help/",
    "/api/v1/docs",
]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.sourceFile + ":" + e.lineNumber;
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""


def existing(paths):
    found = []
    for path in paths:
        try:
            resolve(path.split("{")[0] if "{" in path else path)
        except Resolver404:
            continue
        found.append(path)
    return found


@pytest.mark.parametrize("who", ["olga@acme.test", "alice@acme.test"])
def test_main_pages_raise_no_csp_violation(page, live_server, people, login, who):
    from leadtracker.leads.actions.leads import LeadData, create_lead

    lead, _ = create_lead(
        people.org,
        LeadData(name="Lakshmi", phones=["98765 43210"]),
        actor=Actor.system(),
        by=people.alice,
    )
    page.add_init_script(WATCH)
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, live_server.url, who)
    pages = existing(PAGES)
    assert len(pages) >= 15, pages
    violations = {}
    for path in pages:
        url = live_server.url + path.format(lead=lead.pk)
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        assert response.headers.get("content-security-policy", "").startswith("default-src 'self'"), url
        seen = page.evaluate("window.__cspViolations") + messages
        if seen:
            violations[path] = list(seen)
        messages.clear()
    assert not violations, violations


def test_the_watch_reports_a_violation(page, live_server, people, login):
    """Control: an inline script forced into a page is reported, so the test above can fail."""
    page.add_init_script(WATCH)
    login(page, live_server.url, "olga@acme.test")
    page.goto(live_server.url + "/leads/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; "
        "document.body.appendChild(s); }"
    )
    # The report is an event that comes when the browser gets to it: wait for it, not for a time.
    page.wait_for_function("() => window.__cspViolations.some((v) => v.includes('script-src'))")
    assert page.evaluate("window.x") is None  # refused
