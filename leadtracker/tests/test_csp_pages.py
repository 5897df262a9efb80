"""Every page carries the Content-Security-Policy and nothing in its HTML that the policy refuses.

Every page is checked in test_every_page.py (test_every_page_has_the_policy_and_nothing_inline):
one walk of every URL pattern (parameters filled with our own objects by the tenancy factories)
and of the links those pages show, as the owner, as an agent and signed out, for all its checks.
A template added later is crawled the same way, so an inline script, an on*= handler or a
style= attribute cannot come back unnoticed. Here: the policy itself and the finder.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from leadtracker.lib.csp import build_policy

# The PostgreSQL pass of make test leaves these to the SQLite pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(
    reason="the policy header and the HTML of a page: the middleware and the templates, whatever the rows"
)

EXPECTED = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts and styles, handlers, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.problems.append("inline <script> (only src= or type=application/json are allowed)")
        if tag == "style":
            self.problems.append("<style> block")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def inspect(response):
    finder = InlineFinder()
    finder.feed(response.content.decode())
    return finder


def test_the_policy_is_the_one_the_issue_asks_for():
    assert build_policy(settings.CONTENT_SECURITY_POLICY) == EXPECTED
    assert "unsafe" not in EXPECTED


def test_the_finder_catches_what_the_policy_refuses():
    """The checks above cannot pass by finding nothing: each kind of offence is reported."""

    class Page:
        content = (
            b'<div style="color:red"><a href="javascript:go()">x</a><button onclick="go()">b</button>'
            b'<script>go()</script><style>p{}</style><i hx-on:click="x"></i>'
            b'<script src="/static/js/ok.js"></script><script type="application/json" id="d">{}</script>'
        )

    problems = inspect(Page()).problems
    assert len(problems) == 6, problems
    assert any("style=" in p for p in problems) and any("onclick" in p for p in problems)
    assert any(re.search("inline <script>", p) for p in problems) and any("<style>" in p for p in problems)


def test_api_json_redirects_and_missing_pages_carry_the_policy_too(acme, client):
    for url in ("/api/v1/openapi.json", "/", "/no-such-page/", "/healthz"):
        assert client.get(url).get("Content-Security-Policy") == EXPECTED, url
