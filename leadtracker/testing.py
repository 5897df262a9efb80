"""Helpers for tests: named people in an organisation, signed-in clients. Used by the
unit tests and the browser tests alike."""

import datetime as dt
import os
import time
from html.parser import HTMLParser
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.utils import timezone

PASSWORD = "correct-horse-battery-42"
_HASH: list[str] = []


def _password_hash() -> str:
    if not _HASH:
        # after Django's setup: the root conftest imports this module before pytest-django sets Django up
        from django.contrib.auth.hashers import make_password

        _HASH.append(make_password(PASSWORD))
    return _HASH[0]


def make_org(slug: str, name: str | None = None):
    """An organisation with a tree of people:

    olga (owner)
    ├── adam (admin)
    ├── maya (manager) ── alice (agent)
    │    └── mani (manager) ── bob (agent)
    └── mark (manager) ── carl (agent)
    """
    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.models import Membership, Role, User

    org, owner = create_organisation(
        name=name or slug.title(),
        slug=slug,
        owner_email=f"olga@{slug}.test",
        owner_name="Olga Owner",
        password=PASSWORD,
    )
    people = SimpleNamespace(org=org, olga=owner)
    # Nearly every test makes one or two of these: the seven people go in with one INSERT and
    # their memberships with four (a manager's row before those who report to them), in the
    # order and so with the ids that one save each gave them.
    tree = [
        ("adam", Role.ADMIN, "olga"),
        ("maya", Role.MANAGER, "olga"),
        ("mark", Role.MANAGER, "olga"),
        ("mani", Role.MANAGER, "maya"),
        ("alice", Role.AGENT, "maya"),
        ("bob", Role.AGENT, "mani"),
        ("carl", Role.AGENT, "mark"),
    ]
    password = _password_hash()  # argon2 is slow by design: hash once per run
    users = User.objects.bulk_create(
        User(email=f"{key}@{slug}.test".lower(), full_name=f"{key.title()} {slug.title()}", password=password)
        for key, _role, _manager in tree
    )
    batch: list = []
    for (key, role, manager), user in zip(tree, users, strict=True):
        if getattr(people, manager) in batch:
            Membership.objects.bulk_create(batch)
            batch = []
        member = Membership(organisation=org, user=user, role=role, reports_to=getattr(people, manager))
        setattr(people, key, member)
        batch.append(member)
    Membership.objects.bulk_create(batch)
    return people


def make_lead(people, by=None, *, owner=None, actor=None, on_duplicate="error", **fields):
    """A lead in ``people``'s organisation, made through the real ``create_lead`` action: the
    one lead builder of every app's tests (the ``new_lead`` fixture is this function).

    ``by`` makes it (olga, the owner, unless given), audited as ``actor`` (``by`` unless given);
    ``owner`` is the member who owns it. ``phones`` is a list or ``phone`` one number: 98765 43210
    when neither nor an e-mail is given. Any other field is ``LeadData``'s."""
    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    by = by or people.olga
    if owner is not None:
        fields["owner_id"] = owner.user_id
    phones = fields.pop("phones", None)
    if phones is None:
        phone = fields.pop("phone", None if "email" in fields else "98765 43210")
        phones = [phone] if phone else []
    lead, _outcome = create_lead(
        people.org,
        LeadData(phones=list(phones), **fields),
        actor=actor or Actor.for_user(by.user),
        by=by,
        on_duplicate=on_duplicate,
    )
    return lead


def login_client(member):
    """A client signed in as ``member``, in ``member``'s organisation: what the test client's
    force_login does (Django's login() into a new session: its keys, user_logged_in and so the
    last_login update), with the organisation put in by the same save. force_login first saved an
    empty session, read it back, replaced it with a new key and deleted the old one, and the
    organisation took a read and a write more: 19 statements (savepoints counted), now 8; CPU
    3.2-4.2 -> 1.5-1.8 ms a client (SQLite, load ~17), some 1,200 clients a pass."""
    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest
    from django.test import Client

    client = Client()
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, member.user, backend="leadtracker.accounts.auth.EmailBackend")
    request.session["org_id"] = member.organisation_id
    request.session.save()
    client._set_login_cookies(request)
    return client


def hindi_client(member):
    """A signed-in client of ``member``, who has chosen Hindi in their profile."""
    member.user.language = "hi"
    member.user.save(update_fields=["language"])
    return login_client(member)


def token_client(member, kind="personal"):
    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from django.test import Client

    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from leadtracker.accounts.actions import create_api_token
    from leadtracker.accounts.audit import Actor

    _token, raw = create_api_token(member, name="test", actor=Actor.system(), kind=kind)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.raw_token = raw
    return client


# --- phones and the calls they sync ------------------------------------------------------------


def paired_client(member, name="Test phone"):
    """A client holding a real device token, obtained through the pairing exchange."""
    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from django.test import Client

    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from leadtracker.accounts.audit import Actor
    from leadtracker.calls import actions

    _code, raw = actions.create_pairing_code(member, actor=Actor.system(), by=None)
    device, token = actions.pair_device(raw, name=name, actor=Actor.system())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.device = device
    return client


def open_shift(member, hours_ago=8):
    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from leadtracker.attendance.models import Shift

    return Shift.objects.create(
        organisation_id=member.organisation_id,
        user_id=member.user_id,
        started_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )


_ANCHOR: dict = {}


def _test_now():
    """One "now" per test, so two calls built 20 minutes apart are exactly 20 minutes apart
    even when the clock ticks over a second between building them. Read again in each test
    (pytest names the running one), also in modules that do not use the calls tests' ``_anchor``
    fixture: a "now" left by an earlier test, whose clock was moved to another day, put calls in
    the future or outside every shift."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    if _ANCHOR.get("test") != test:
        _ANCHOR.update(test=test, now=timezone.now().replace(microsecond=0))
    return _ANCHOR["now"]


def start_test_clock():
    """Read the test's "now" afresh (as it starts, after a clock moved by ``frozen_at``)."""
    _ANCHOR.clear()
    _test_now()


def call(n=0, *, number="+919876543210", type="outgoing", minutes_ago=60, duration_s=30, **extra):
    """A call log row as a phone sends it, ``minutes_ago`` before the test's "now"."""
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    started = _test_now().astimezone(ist) - dt.timedelta(minutes=minutes_ago)
    row = {
        "device_call_id": str(1000 + n),
        "number": number,
        "type": type,
        "started_at": started.replace(microsecond=0).isoformat(),
        "duration_s": duration_s,
    }
    row.update(extra)
    return row


def send(client, calls):
    return client.post("/api/v1/calls/sync", {"calls": calls}, content_type="application/json")


def publish_version(org, *, title=None, effective_in=None, items=None):
    """A published privacy notice version, effective now (or ``effective_in`` from now)."""
    # after Django's setup: the root conftest imports this module before pytest-django sets Django up
    from leadtracker.accounts.audit import Actor
    from leadtracker.privacy.notices import actions

    draft = actions.create_draft(org, actor=Actor.system(), title=title, items=items)
    when = timezone.now() + effective_in if effective_in else None
    return actions.publish_notice(draft, actor=Actor.system(), effective_at=when)


# --- the clock ---------------------------------------------------------------------------------
# Instants at which "today", "yesterday", "the last 7 days", a day's end, a month's end or a year's
# fall awkwardly. A test of anything worked out from the date runs at each of them, with the
# clock moved there by the ``frozen_at`` fixture (conftest.py) and ticking on from it:
#
#     @pytest.mark.parametrize("frozen_at", CLOCKS, indirect=True)
#     def test_x(frozen_at, acme): ...
#
# or, where one run costs much (the demo), at the instants that matter to it: clocks("sunday", …).
# India keeps no summer time: its hard parts are midnight and the 5 h 30 m to UTC (between 00:00
# and 05:30 IST, UTC is still on the day before).
CLOCKS = {
    "sunday": "2026-12-06T14:16:00+05:30",  # a day off; six working days in the last seven
    "monday-00:05": "2026-12-07T00:05:00+05:30",  # five minutes into a day and a week (UTC: Sunday)
    "23:55": "2026-12-09T23:55:00+05:30",  # five minutes before a day ends
    "month-end": "2027-04-30T02:00:00+05:30",  # the month's last day (UTC: still the 29th)
    "31-december": "2026-12-31T23:30:00+05:30",  # tomorrow is another year
    "29-february": "2028-02-29T09:00:00+05:30",  # a year ago was not a 29th
}


def clocks(*names: str):
    """The parametrize mark for some of the CLOCKS (all of them without names)."""
    unknown = set(names) - set(CLOCKS)
    assert not unknown, f"no such clock: {', '.join(sorted(unknown))}"
    return pytest.mark.parametrize("frozen_at", list(names or CLOCKS), indirect=True)


def wait_until(condition, what: str, timeout: float = 30) -> None:
    """Wait until ``condition()`` holds, looking every 20 ms; fail naming ``what`` after
    ``timeout`` seconds. On a loaded machine another thread or process may need seconds to get
    where a test needs it, so tests wait for that, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:g} s for {what}"
        time.sleep(0.02)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def html_region(content, element_id: str):
    """What a page shows inside the element with this id: its text (whitespace collapsed) and
    the elements in it as (tag, classes, text) triples; None when the page has no such element.

    For page tests that ask what a panel shows of *this* object rather than whether a word is
    anywhere on the page: a word that is on the page for another reason (a filter's options,
    another lead's name in a menu) must not make such a test pass."""
    if isinstance(content, bytes):
        content = content.decode()

    class Region(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.depth = 0  # open elements inside the region, the region itself counted
            self.found = False
            self.text: list[str] = []
            self.elements: list[list] = []  # [tag, classes, [text…]] of each element within
            self.open: list[list] = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if self.depth == 0:
                if attrs.get("id") == element_id and not self.found:
                    self.found = True
                    self.depth = 0 if tag in _VOID else 1
                return
            element = [tag, set((attrs.get("class") or "").split()), []]
            self.elements.append(element)
            if tag not in _VOID:
                self.open.append(element)
                self.depth += 1

        def handle_endtag(self, tag):
            if self.depth == 0 or tag in _VOID:
                return
            self.depth -= 1
            if self.open and self.depth > 0:
                self.open.pop()

        def handle_data(self, data):
            if self.depth:
                self.text.append(data)
                for element in self.open:
                    element[2].append(data)

    parser = Region()
    parser.feed(content)
    if not parser.found:
        return None

    def squash(parts):
        return " ".join("".join(parts).split())

    return SimpleNamespace(
        text=squash(parser.text),
        elements=[(tag, classes, squash(text)) for tag, classes, text in parser.elements],
    )


def window_refusal(field: str, message: str) -> dict:
    """The API's error for a time outside its window (lib/timeutil.check_within): the field, the
    message, and the code a program reads whatever the message's language."""
    code = "in_the_future" if message.endswith("in the future") else "in_the_past"
    return {"field": field, "message": message, "code": code}
