"""The offline web app speaks Hindi to a Hindi reader on a 360-pixel phone: the "as of" marker,
the changes waiting, the log-out question and the service worker's own page for a page not
kept — which the worker writes itself, offline, in the language the person's pages told it
(static/js/offline.js, static/js/sw.js, lib/script_words.py). A punch refused on arrival is named
and explained in Hindi; the dashboard's series are named in Hindi (static/js/dashboard.js)."""

import datetime as dt

import pytest
from gates import Gate
from playwright.sync_api import expect

from e2e.test_chart_labels import DRAWN
from e2e.test_offline import _controlled
from leadtracker.attendance.models import Shift
from leadtracker.reports.tests.busy_day import busy_day
from leadtracker.testing import make_lead, open_shift

# What this file tests is done by our service worker: it runs in the file's pages, which
# otherwise block it (e2e/conftest.py, workers_for).
pytestmark = pytest.mark.service_worker


def _in_hindi(member):
    member.user.language = "hi"
    member.user.save(update_fields=["language"])


@pytest.mark.slow(reason="a browser signs in, waits for the worker, writes offline and logs out offline")
def test_offline_in_hindi_the_marker_the_waiting_count_the_question_and_the_workers_page(
    phone, live_server, people, login
):
    _in_hindi(people.alice)
    lead = make_lead(people, owner=people.alice, name="Asha Sharma")
    gate = Gate(phone.context, live_server.url)
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")

    phone.context.set_offline(True)
    phone.fill("form[action$='/note/'] textarea[name=body]", "रविवार को साइट विज़िट")
    phone.click("form[action$='/note/'] button[type=submit]")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 बदलाव भेजना बाकी")
    expect(phone.locator("#offline-as-of")).to_contain_text("ऑफ़लाइन ·")
    expect(phone.locator("#offline-as-of")).to_contain_text("वाला पेज")

    # A page the phone did not keep: the worker's own page, in Hindi, with no network — from a
    # worker the phone stopped and starts afresh, which reads the language it was told from
    # IndexedDB (the browser itself speaks en-IN).
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    phone.goto(f"{live_server.url}/calls/recent/")
    expect(phone.locator("h1")).to_have_text("नेटवर्क नहीं है")
    expect(phone.locator("main")).to_contain_text("यह पेज इस फ़ोन पर सेव नहीं था")
    expect(phone.locator("main a.button")).to_have_text("मेरा दिन")
    assert phone.locator("html").get_attribute("lang") == "hi"
    assert phone.title() == "ऑफ़लाइन"

    # Logging out with the note still waiting asks first, in Hindi, and fits the phone.
    phone.goto(f"{live_server.url}/leads/{lead.pk}/")
    phone.click("#menu-toggle + label")
    phone.click("button:has-text('लॉग आउट')")
    ask = phone.locator("#outbox-logout")
    expect(ask.locator("h2")).to_have_text("1 बदलाव नहीं भेजा गया")
    expect(ask.locator("button")).to_have_text(["अभी भेजें", "मिटाकर लॉग आउट करें", "फ़ोन पर रखकर लॉग आउट करें"])
    assert gate.check(phone, None) == []
    ask.locator("button", has_text="अभी भेजें").click()
    expect(phone.locator("#outbox-logout-said")).to_contain_text("नेटवर्क नहीं है: नहीं भेजे गए")
    ask.locator("button", has_text="फ़ोन पर रखकर").click()
    # The worker forgets the pages, cannot tell the server, and says so in Hindi.
    expect(phone.locator("h1")).to_have_text("नेटवर्क नहीं है")
    expect(phone.locator("main")).to_contain_text("नेटवर्क आने पर फिर से लॉग आउट करें")


def test_a_punch_refused_on_arrival_is_named_and_explained_in_hindi(phone, live_server, people, login):
    _in_hindi(people.alice)
    shift = open_shift(people.alice, hours_ago=3)
    login(phone, live_server.url, "alice@acme.test")
    _controlled(phone)
    phone.goto(f"{live_server.url}/attendance/")
    phone.context.set_offline(True)
    phone.click("button:has-text('पंच आउट')")
    expect(phone.locator("#outbox-waiting")).to_have_text("1 बदलाव भेजना बाकी")
    # Meanwhile the shift is closed on the server: the punch-out is refused when it arrives.
    Shift.objects.filter(pk=shift.pk).update(ended_at=shift.started_at + dt.timedelta(hours=1))
    phone.context.set_offline(False)
    refused = phone.locator("#outbox-refused")
    expect(refused.locator("h2")).to_have_text("ये बदलाव नहीं भेजे गए")
    expect(refused.locator("strong")).to_have_text("पंच आउट")
    expect(refused).to_contain_text("पर किया): आप पंच इन नहीं हैं")  # the server's reason, in Hindi
    refused.locator("button", has_text="हटाएँ").click()
    expect(refused).to_have_count(0)


def test_the_dashboards_series_are_named_in_hindi(page, live_server, people, login):
    busy_day(people)
    _in_hindi(people.olga)
    login(page, live_server.url, "olga@acme.test")
    page.goto(f"{live_server.url}/dashboard/?range=7d")
    page.wait_for_function(DRAWN, arg=["daily", "sources"])
    names = page.evaluate(
        """() => ["daily", "sources"].flatMap((key) =>
             Chart.getChart(document.getElementById("chart-" + key)).data.datasets.map((d) => d.label))"""
    )
    assert names == ["कॉल", "बातचीत", "बात (मिनट)", "लीड", "जीती"], names
