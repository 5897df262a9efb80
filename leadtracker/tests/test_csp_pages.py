"""Every page carries the Content-Security-Policy and nothing in its HTML that the policy refuses.

The pages come from walking every URL pattern (parameters filled with our own objects by the
tenancy factories) and then following the links those pages show, as the owner, as an agent
and signed out. A template added later is crawled the same way, so an inline script, an
on*= handler or a style= attribute cannot come back unnoticed.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver

from leadtracker.accounts.actions import invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.lib.csp import build_policy
from leadtracker.testing import login_client, make_org
from leadtracker.tests.tenancy import FACTORIES
from leadtracker.tests.test_tenancy import PARAM, walk

# The PostgreSQL pass of make test leaves this walk to the SQLite pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(
    reason="the policy header and the HTML of a page: the middleware and the templates, whatever the rows"
)

EXPECTED = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
MAX_PAGES = 400  # bounds the link-following; the walk itself is complete


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


def walk_urls(people):
    """Every route without an admin or API prefix, with our own objects in its parameters."""
    extra = {
        "org_slug": people.org.slug,
        "token": invite_member(people.org, email="csp@example.in", actor=Actor.system())[1],
    }
    urls = []
    for route, _entry in walk(get_resolver().url_patterns):
        if "django-admin" in route or route.startswith("api/"):
            continue
        names = [m.group("name") for m in PARAM.finditer(route)]
        if any(n not in FACTORIES and n not in extra for n in names):
            continue  # password-reset links and capture keys: reached by their own tests
        if "^" in route or "(?P" in route:
            continue
        values = {n: extra[n] if n in extra else FACTORIES[n](people) for n in names}
        urls.append("/" + PARAM.sub(lambda m, values=values: str(values[m.group("name")]), route))
    return urls


def crawl(client, start):
    seen, queue, pages = set(), list(start), {}
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        if url in seen or not url.startswith("/") or url.startswith(("/django-admin", "/logout")):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.get("Content-Security-Policy") == EXPECTED, (url, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        finder = inspect(response)
        pages[url] = finder.problems
        queue.extend(link for link in finder.links if urlsplit(link).netloc == "")
    return pages


def test_the_policy_is_the_one_the_issue_asks_for():
    assert build_policy(settings.CONTENT_SECURITY_POLICY) == EXPECTED
    assert "unsafe" not in EXPECTED


@pytest.mark.slow(reason="crawls every page the role can reach and the links they show (5 s for the owner)")
@pytest.mark.parametrize("role", ["olga", "alice", None])
def test_every_page_has_the_policy_and_nothing_inline(db, role):
    people = make_org("acme")
    client = login_client(getattr(people, role)) if role else Client()
    pages = crawl(client, walk_urls(people))
    # The crawl reached the application, not only a login form or a notice gate.
    assert len(pages) >= (30 if role else 5), sorted(pages)
    offending = {url: problems for url, problems in pages.items() if problems}
    assert not offending, offending


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
