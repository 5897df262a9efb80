"""A member on a 360-pixel phone is asked to accept a new privacy notice version, and does."""

import datetime as dt
import re

from playwright.sync_api import expect

from leadtracker.accounts.audit import Actor
from leadtracker.privacy.models import NoticeAcceptance
from leadtracker.privacy.notices import actions


def test_member_accepts_a_new_notice_version_on_a_phone(phone, live_server, people, login):
    v1 = actions.publish_notice(actions.create_draft(people.org, actor=Actor.system()), actor=Actor.system())
    actions.accept_notice(people.alice, v1, now=v1.effective_at + dt.timedelta(seconds=1))
    v2 = actions.publish_notice(
        actions.create_draft(people.org, actor=Actor.system(), title="Privacy notice, revised"),
        actor=Actor.system(),
    )

    login(phone, live_server.url, "alice@acme.test")
    expect(phone).to_have_url(re.compile(r"/privacy-notice/"))
    expect(phone.locator("h2").first).to_have_text("Privacy notice, revised")
    expect(phone.locator("text=Call metadata").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.click("button:has-text('accept version 2')")
    expect(phone.locator(".flash")).to_contain_text("accepted version 2")
    expect(phone.locator("h1")).to_have_text("Hello, Alice")
    assert list(
        NoticeAcceptance.objects.filter(user=people.alice.user)
        .order_by("version")
        .values_list("version", flat=True)
    ) == [1, 2]
    assert NoticeAcceptance.objects.get(user=people.alice.user, version=2).notice_id == v2.pk


def test_public_notice_reads_on_a_phone_without_login(phone, live_server, people):
    actions.publish_notice(actions.create_draft(people.org, actor=Actor.system()), actor=Actor.system())
    phone.goto(f"{live_server.url}/privacy/acme/")
    expect(phone.locator("h1")).to_have_text("Privacy notice of Acme")
    expect(phone.locator("text=Support and grievances")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
