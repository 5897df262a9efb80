"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

import json
import os
import subprocess
import sys
import urllib.request
from importlib import import_module
from pathlib import Path

import pytest
from django.http import HttpRequest

from leadtracker.testing import PASSWORD, make_org

# Playwright's sync API runs an event loop in this thread; the Django calls the tests make
# between browser steps are ordinary blocking ones, which is what this flag allows.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium's headless shell (Debian's chromium-headless-shell, the same version as chromium: the
# same Blink, V8 and layout, without the whole browser around them — no browser window, no
# browser UI, no profile services). The browser tests took half the CPU in it: 339.9 -> 164.2
# CPU-s for the browser stream (both started in the same second, load 10-21, 7 Dec). It lacks
# what only the whole browser has — Background Sync, notifications, the push service — so the
# tests of those (marked service_worker or full_chromium) get CHROMIUM. scripts/test.sh installs it;
# where it is not installed every test gets CHROMIUM.
CHROMIUM_SHELL = os.environ.get("CHROMIUM_SHELL", "/usr/bin/chromium-headless-shell")
# Deadlines, not waits: every Playwright wait ends as soon as its condition holds, so a generous
# deadline costs a passing test nothing, and on a loaded machine (two cores shared by the test
# streams) a page or an htmx swap can take seconds.
DEADLINE_MS = 30_000
# A job a test hands to a `leadtracker worker` it has just started: the worker's start (Python,
# Django, the registry) and its first poll come first, and at load 13-15 (six test streams on two
# cores) that took more than 30 s, so an import or an export still read "Queued" (7 Dec).
JOB_DEADLINE_MS = 90_000
SCREENSHOTS = Path(__file__).parent / "screenshots"
# The page's service worker once active, or an error after 30 s: Playwright's evaluate has no
# timeout of its own, so a worker that never activates would hang the test instead of failing it.
SW_READY = (
    "Promise.race([navigator.serviceWorker.ready, new Promise((_, no) => setTimeout("
    "() => no(new Error('no active service worker within 30 s')), 30000))])"
)
# This machine has no network but the package registries: keep Chromium from phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # A larger young generation: fewer scavenges of V8's heap while axe and the pages' scripts
    # run (5% less CPU in 9 of 9 paired runs of a gate check, 7 Dec).
    "--js-flags=--max-semi-space-size=64",
]


@pytest.fixture(scope="session")
def _browsers():
    """Launches each Chromium (the whole browser, the headless shell) the first time a test
    asks for it, and keeps it for the session."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=DEADLINE_MS)
    launched = {}
    with sync_playwright() as pw:

        def launch(path: str):
            if path not in launched:
                if not Path(path).exists():
                    pytest.fail(f"Chromium not found at {path}: `make test` installs Debian's chromium")
                launched[path] = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
            return launched[path]

        yield launch
        for chromium in launched.values():
            chromium.close()


def chromium_for(node) -> str:
    """The whole browser for the tests of what only it has (marked service_worker or
    full_chromium), the headless shell for the rest when it is installed."""
    if node.get_closest_marker("service_worker") or node.get_closest_marker("full_chromium"):
        return CHROMIUM
    return CHROMIUM_SHELL if Path(CHROMIUM_SHELL).exists() else CHROMIUM


@pytest.fixture
def browser(_browsers, request):
    return _browsers(chromium_for(request.node))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for name in ("page", "phone"):
            pg = item.funcargs.get(name)
            if pg is not None:
                SCREENSHOTS.mkdir(exist_ok=True)
                path = SCREENSHOTS / f"{item.name}-{name}.png"
                pg.screenshot(path=str(path), full_page=True)
                report.sections.append((f"screenshot of {name}", str(path)))


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "service_worker: our service worker is installed in the test's page and phone, which are"
        " the whole Chromium's",
    )
    config.addinivalue_line(
        "markers",
        "full_chromium(reason): the test's browser is the whole Chromium, not its headless shell",
    )


# What a context opened by a test itself passes as service_workers, unless the test is about the
# worker (the reasons: workers_for).
NO_WORKER = "block"


def workers_for(request) -> str:
    """Our service worker is installed in a test's `page` and `phone` only in the tests of what
    it does (marked service_worker). Elsewhere Playwright's "block" makes the page's
    `navigator.serviceWorker.register` a no-op (offline.js runs on and waits for nothing): no
    fetch of the app shell into a cache in every new context, no fetch handler between the page
    and the server, no read-ahead of My day's leads — none of which those tests look at."""
    return "allow" if request.node.get_closest_marker("service_worker") else NO_WORKER


def _page(browser, request, width, height):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="en-IN",
        timezone_id="Asia/Kolkata",
        service_workers=workers_for(request),
    )
    context.set_default_timeout(DEADLINE_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, request):
    context, pg = _page(browser, request, 1280, 800)
    yield pg
    context.close()


@pytest.fixture
def phone(browser, request):
    context, pg = _page(browser, request, 360, 740)
    yield pg
    context.close()


@pytest.fixture
def people(transactional_db):
    return make_org("acme")


def log_in_by_form(page, base_url, email, password=PASSWORD):
    """Signs in through the login page, as a person does: for the tests of signing in itself
    (the form, a wrong password, the second step of two-factor sign-in)."""
    page.goto(f"{base_url}/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    # The page the form's answer ends on (home, the form again, the code step) once loaded, not
    # half a second of no traffic after it.
    with page.expect_navigation():
        page.click("button[type=submit]")


def log_in(page, base_url, email, *, home=True):
    """Signs ``email`` in as the login form does, without the form: the sign-in step of the
    login page (accounts/views.py: Django's login, then the organisation the session is in) runs
    here on a session of its own, its audit event is written, and the session's cookie is given
    to the page's browser context. Then the page opens the home page, where the form's redirect
    landed; with ``home=False`` it opens nothing, for a test whose next step opens a page.

    The form cost every test two page loads and half a second of no traffic before it started
    what it tests (issue 16). A person with two-factor sign-in is refused here: the form then
    asks for a code, which only log_in_by_form goes through."""
    from django.conf import settings

    from leadtracker.accounts import actions, mfa
    from leadtracker.accounts.audit import Actor
    from leadtracker.accounts.middleware import active_membership
    from leadtracker.accounts.models import ActorKind, User
    from leadtracker.accounts.views import _sign_in

    user = User.objects.get(email=email)
    assert not mfa.has_mfa(user), f"{email} signs in with a code: use the login_by_form fixture"
    membership = active_membership(user)
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    _sign_in(request, user, membership.organisation_id if membership else None)
    request.session.save()
    agent = page.evaluate("navigator.userAgent")
    actor = Actor(kind=ActorKind.USER, user=user, ip="127.0.0.1", user_agent=agent[:300])
    actions.record_login(user, membership, actor=actor)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": request.session.session_key,
                "url": base_url,
                "httpOnly": settings.SESSION_COOKIE_HTTPONLY,
                "sameSite": settings.SESSION_COOKIE_SAMESITE,
            }
        ]
    )
    if home:
        page.goto(f"{base_url}/")


@pytest.fixture
def login():
    return log_in


@pytest.fixture
def login_by_form():
    return log_in_by_form


@pytest.fixture
def start_worker(transactional_db):
    """Starts a real `leadtracker worker` process on the test database when called (a test
    may first see its job waiting); every one started is stopped at the end."""
    from leadtracker.accounts.tests.test_worker import worker_env

    procs = []

    def start():
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "leadtracker.cli", "worker", "--interval", "0.5"],
                env=worker_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    yield start
    for proc in procs:
        proc.terminate()
    for proc in procs:
        # A worker finishes its task before it stops: on a loaded machine (load 17, 6 Dec) that
        # took over 10 s. A worker that still has not stopped is killed, and the test says so.
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail("the worker did not stop within 60 s of SIGTERM")


@pytest.fixture
def sync_calls():
    """Sends calls to the live server as a paired phone does (the sync protocol's one request)."""
    return _sync_calls


def _sync_calls(base_url, token, calls):
    request = urllib.request.Request(
        f"{base_url}/api/v1/calls/sync",
        data=json.dumps({"calls": calls}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — our live server
        return json.loads(response.read())
