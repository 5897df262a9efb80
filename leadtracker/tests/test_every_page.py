"""Every page, walked once per role, and what each answer must carry — each property its own test.

The pages come from walking every URL pattern (parameters filled with our own objects by the
tenancy factories) and then following the links those pages show, as the owner, as an agent
and signed out. A page or template added later is walked the same way.

The walk renders each page once and keeps what the checks read (its status, its headers, what
in its HTML a strict Content-Security-Policy refuses); the tests below check one property each
on those answers, so a failure still names its property: the policy and nothing inline
(test_csp_pages.py has the finder and the policy), no-store (test_no_store.py has the downloads
and the API), and the browser features a page may use (test_permissions_policy.py has the rest).
Four walks, each rendering the same pages, were a tenth of the SQLite pass's CPU.
"""

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver

from leadtracker.accounts.actions import invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.testing import login_client, make_org
from leadtracker.tests.tenancy import FACTORIES
from leadtracker.tests.test_csp_pages import EXPECTED, inspect
from leadtracker.tests.test_permissions_policy import policy
from leadtracker.tests.test_tenancy import PARAM, walk

# The PostgreSQL pass of make test leaves this walk to the SQLite pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(
    reason="response headers set by the middleware and the HTML of the templates, whatever the rows"
)

MAX_PAGES = 400  # bounds the link-following; the walk of the URL patterns itself is complete
ROLES = {"olga": "the owner", "alice": "an agent", None: "signed out"}


def walk_urls(people):
    """Every route without an admin or API prefix, with our own objects in its parameters: one
    object per parameter name (the walk only reads; each route made its own before)."""
    extra = {
        "org_slug": people.org.slug,
        "token": invite_member(people.org, email="csp@example.in", actor=Actor.system())[1],
    }
    made: dict = {}
    urls = []
    for route, _entry in walk(get_resolver().url_patterns):
        if "django-admin" in route or route.startswith("api/"):
            continue
        names = [m.group("name") for m in PARAM.finditer(route)]
        if any(n not in FACTORIES and n not in extra for n in names):
            continue  # password-reset links and capture keys: reached by their own tests
        if "^" in route or "(?P" in route:
            continue
        for n in names:
            if n not in made:
                made[n] = extra[n] if n in extra else FACTORIES[n](people)
        urls.append("/" + PARAM.sub(lambda m: str(made[m.group("name")]), route))
    return urls


@dataclass
class Answer:
    """What the checks read of one answer."""

    status: int
    headers: dict  # by lower-case name
    html: bool
    inline: list[str] = field(default_factory=list)  # what a strict CSP refuses in its HTML

    @classmethod
    def of(cls, response, html=False):
        return cls(response.status_code, {k.lower(): v for k, v in response.headers.items()}, html)

    def get(self, name, default=None):
        return self.headers.get(name.lower(), default)


@dataclass
class Walk:
    urls: list[str]  # the URL patterns' pages, where the crawl started
    answers: dict[str, Answer]  # every page walked: those and the links they show


def crawl(client, start):
    seen, queue, answers = set(), list(start), {}
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        if url in seen or not url.startswith("/") or url.startswith(("/django-admin", "/logout")):
            continue
        seen.add(url)
        response = client.get(url)
        answers[url] = answer = Answer.of(response, html="text/html" in response.get("Content-Type", ""))
        if answer.html:
            finder = inspect(response)
            answer.inline = finder.problems
            queue.extend(link for link in finder.links if urlsplit(link).netloc == "")
    # A pattern's page the crawl does not follow (the log-out, POST only) is still answered.
    for url in start:
        if url not in answers:
            answers[url] = Answer.of(client.get(url))
    return answers


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker):
    """walked[role] -> Walk: each role's walk made once for this file's tests, on an organisation
    of its own (rolled back after it, as a test's rows are)."""
    walks: dict = {}

    def walk_as(role):
        if role not in walks:
            with django_db_blocker.unblock(), transaction.atomic():
                people = make_org("acme")
                client = login_client(getattr(people, role)) if role else Client()
                urls = walk_urls(people)
                walks[role] = Walk(urls, crawl(client, urls))
                transaction.set_rollback(True)
        return walks[role]

    return walk_as


@pytest.mark.slow(reason="crawls every page the role can reach and the links they show (5 s for the owner)")
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_has_the_policy_and_nothing_inline(walked, role):
    answers = walked(role).answers
    wrong = {url: a.status for url, a in answers.items() if a.get("Content-Security-Policy") != EXPECTED}
    assert not wrong, wrong
    pages = {url: a.inline for url, a in answers.items() if a.html}
    # The crawl reached the application, not only a login form or a notice gate.
    assert len(pages) >= (30 if role else 5), sorted(pages)
    offending = {url: problems for url, problems in pages.items() if problems}
    assert not offending, offending


def no_store(answer) -> bool:
    return "no-store" in answer.get("Cache-Control", "")


@pytest.mark.parametrize(("role", "pages"), [("olga", 30), ("alice", 20)])
def test_every_page_of_a_signed_in_person_is_no_store(walked, role, pages):
    walk = walked(role)
    assert sum(walk.answers[url].status == 200 for url in walk.urls) >= pages  # the pages, not a login form
    stored = {url: (a.status, a.get("Cache-Control")) for url, a in walk.answers.items() if not no_store(a)}
    assert not stored, stored


def test_only_the_punch_pages_may_ask_for_the_location(walked):
    punch_pages = {"/", "/my-day/", "/attendance/"}  # an agent's home page is their day
    walk = walked("alice")
    geolocation = {
        url: (policy(walk.answers[url], url)["geolocation"], walk.answers[url].status) for url in walk.urls
    }
    allowed = {url for url, (allow, _status) in geolocation.items() if allow != "()"}
    assert allowed == punch_pages, geolocation
    assert {geolocation[url] for url in punch_pages} == {("(self)", 200)}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_may_use_the_camera_the_microphone_or_payment(walked, role):
    """policy() fails on a feature of ALWAYS_OFF that a page leaves on."""
    answers = walked(role).answers
    assert all(policy(answer, url) for url, answer in answers.items())
