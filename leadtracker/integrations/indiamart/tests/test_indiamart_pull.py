"""IndiaMART's pull API, polled by the worker against a loopback IndiaMART: each enquiry
becomes one lead whatever the repeats, 429s, restarts and overlapping windows; a refused key
says so on the connector's health."""

import datetime as dt

import pytest
import time_machine

from leadtracker.integrations.indiamart import pull
from leadtracker.integrations.indiamart.tests.fake_indiamart import FakeIndiaMART, enquiry
from leadtracker.integrations.models import Connector, Payload, PayloadStatus
from leadtracker.integrations.tasks import poll_connectors
from leadtracker.integrations.tests.util import connector, work_off
from leadtracker.leads.models import Lead

START = dt.datetime(2026, 12, 6, 8, 46, tzinfo=dt.UTC)  # 14:16 IST, a Sunday


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def seller(acme, indiamart, clock):
    made, _ = connector(acme, "indiamart", key=indiamart.key)
    return made


def tick(clock, minutes: float) -> None:
    clock.shift(dt.timedelta(minutes=minutes))


def poll_and_work(connector_) -> int:
    """One turn of the worker's periodic poll (the real task's body), then its processing."""
    stored = poll_connectors.call()
    work_off()
    connector_.refresh_from_db()
    return stored


def leads(org) -> list[str]:
    return sorted(Lead.objects.filter(organisation=org.org).values_list("phone", flat=True))


def test_each_enquiry_becomes_a_lead_with_its_attribution(acme, indiamart, seller, clock):
    indiamart.enquiries += [
        enquiry(1, at=START - dt.timedelta(hours=2)),
        enquiry(2, at=START - dt.timedelta(hours=1)),
    ]
    assert poll_and_work(seller) == 2
    lead = Lead.objects.get(organisation=acme.org, phone="+919800000001")
    assert lead.name == "Buyer 1"
    assert lead.company == "Buyer 1 Traders"
    assert lead.extra["attribution"] == "IndiaMART: Steel Almirah"
    assert lead.source.name == "IndiaMART"
    assert seller.cursor["until"] == START.isoformat()
    # IndiaMART was asked for the last day, in its own format, in India's time.
    assert indiamart.calls == [(START - dt.timedelta(days=1), START)]


def test_the_same_enquiry_five_times_is_one_lead(acme, indiamart, seller, clock, client):
    first = enquiry(1, at=START - dt.timedelta(minutes=3))
    indiamart.enquiries.append(first)
    poll_and_work(seller)
    # Again by push, twice, and again in the next two pulls' overlapping windows.
    for _ in range(2):
        answer = client.post(
            f"/integrations/hook/{seller.url_token}",
            {"CODE": 200, "STATUS": "SUCCESS", "RESPONSE": first},
            content_type="application/json",
        )
        assert answer.status_code == 200
    for _ in range(2):
        tick(clock, 6)
        poll_and_work(seller)
    assert len(indiamart.calls) == 3
    assert leads(acme) == ["+919800000001"]
    assert Payload.objects.filter(connector=seller).count() == 1


def test_never_asks_more_often_than_every_five_minutes(acme, indiamart, seller, clock):
    for _ in range(5):  # the worker offers a turn every minute
        poll_and_work(seller)
        tick(clock, 1)
    assert len(indiamart.calls) == 1
    tick(clock, 0.5)  # 5½ minutes after the first call
    poll_and_work(seller)
    assert len(indiamart.calls) == 2
    assert 429 not in indiamart.answers


def test_a_429_backs_off_and_resumes_with_nothing_missed(acme, indiamart, seller, clock):
    indiamart.enquiries.append(enquiry(1, at=START - dt.timedelta(minutes=30)))
    poll_and_work(seller)
    tick(clock, 6)
    indiamart.enquiries.append(enquiry(2, at=START + dt.timedelta(minutes=5)))
    indiamart.script.append(429)  # the key was used elsewhere too
    poll_and_work(seller)
    # 14:22 IST + 16 minutes, in the organisation's zone (India's here).
    assert seller.last_error.startswith("IndiaMART asked us to wait")
    assert "Pulling again after 2:38 pm; no lead is lost." in seller.last_error
    assert seller.cursor["until"] == START.isoformat()  # the window was not read: not passed
    # Leads keep coming while IndiaMART blocks the key; nobody asks during the block.
    for minutes in (3, 7, 12):
        indiamart.enquiries.append(enquiry(10 + minutes, at=START + dt.timedelta(minutes=6 + minutes)))
    asked = len(indiamart.calls) + len(indiamart.script)
    for _ in range(15):
        tick(clock, 1)
        poll_and_work(seller)
    assert indiamart.answers.count(429) == 1
    assert len(indiamart.calls) == asked
    tick(clock, 2)  # 17 minutes after the 429
    poll_and_work(seller)
    assert leads(acme) == sorted(f"+9198{n:08d}" for n in (1, 2, 13, 17, 22))
    assert seller.last_error == ""


def test_a_restart_in_the_middle_of_a_window_misses_and_doubles_nothing(acme, indiamart, seller, clock):
    indiamart.enquiries += [enquiry(n, at=START - dt.timedelta(minutes=50 - n)) for n in range(1, 6)]
    # The worker read the window and stored two enquiries, then was killed before the cursor
    # moved: what it left is this.
    pull.store(seller, indiamart.enquiries[:2])
    work_off()
    seller.refresh_from_db()
    assert "until" not in seller.cursor
    poll_and_work(seller)
    assert leads(acme) == sorted(f"+9198{n:08d}" for n in range(1, 6))
    assert Payload.objects.filter(connector=seller).count() == 5
    assert set(Payload.objects.values_list("status", flat=True)) == {PayloadStatus.DONE}


def test_a_connector_far_behind_catches_up_a_week_at_a_time(acme, indiamart, seller, clock):
    Connector.objects.filter(pk=seller.pk).update(
        cursor={"until": (START - dt.timedelta(days=10)).isoformat()}
    )
    indiamart.enquiries += [enquiry(n, at=START - dt.timedelta(days=n)) for n in range(1, 10)]
    for _ in range(3):
        poll_and_work(seller)
        tick(clock, 5)
    assert all(end - start <= dt.timedelta(days=7) for start, end in indiamart.calls)
    assert len(leads(acme)) == 9


def test_no_enquiries_is_nothing_stored_and_the_cursor_moves(acme, indiamart, seller, clock):
    assert poll_and_work(seller) == 0
    assert indiamart.answers == [204]
    assert Payload.objects.count() == 0
    assert seller.cursor["until"] == START.isoformat()
    assert seller.last_error == ""


def test_a_refused_key_shows_on_the_health_panel(acme, indiamart, clock, as_member):
    made, _ = connector(acme, "indiamart", key="an-old-key")
    poll_and_work(made)
    assert indiamart.answers == [401]
    assert made.last_error.startswith("IndiaMART refused the key")
    assert "until" not in made.cursor
    admin = as_member(acme.adam)
    for page in ("/settings/integrations/", f"/settings/integrations/{made.pk}/"):
        assert "IndiaMART refused the key" in admin.get(page).content.decode(), page


def test_indiamart_out_of_reach_is_tried_again_from_the_same_place(acme, indiamart, seller, clock, settings):
    url = settings.INDIAMART_API_URL
    indiamart.close()  # IndiaMART down: nothing listens there any more
    poll_and_work(seller)
    assert (
        seller.last_error
        == "IndiaMART could not be read (could not reach IndiaMART); trying again in 5 minutes."
    )
    assert "until" not in seller.cursor
    # Back 5 minutes later, at the same address: the window is read from where it was.
    back = FakeIndiaMART(key=indiamart.key, port=int(url.rsplit(":", 1)[1]))
    back.enquiries.append(enquiry(1, at=START - dt.timedelta(minutes=1)))
    try:
        tick(clock, 5)
        poll_and_work(seller)
    finally:
        back.close()
    assert back.calls == [(START - dt.timedelta(days=1), START + dt.timedelta(minutes=5))]
    assert leads(acme) == ["+919800000001"]
    assert seller.last_error == ""


def test_an_enquiry_without_its_id_is_logged_once_as_failed(acme, indiamart, seller, clock):
    broken = enquiry(3, at=START - dt.timedelta(minutes=2))
    del broken["UNIQUE_QUERY_ID"]
    indiamart.enquiries += [broken, enquiry(4, at=START - dt.timedelta(minutes=1))]
    for _ in range(3):  # the overlap reads both again
        poll_and_work(seller)
        tick(clock, 5)
    assert leads(acme) == ["+919800000004"]
    failed = Payload.objects.get(status=PayloadStatus.FAILED)
    assert failed.error == "UNIQUE_QUERY_ID is missing"
    assert Payload.objects.count() == 2
