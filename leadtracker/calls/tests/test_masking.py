"""Last-four-digits mode on the calls pages, CSV and API: an agent sees only the last four
digits of numbers of leads that are not theirs; their own leads, unknown numbers and everyone
above an agent see numbers in full."""

import csv
import io

import pytest

from leadtracker.accounts.models import Organisation
from leadtracker.calls.models import Call, CallBack
from leadtracker.testing import call, make_lead, send

CARLS = "+919811113210"  # a colleague's lead
ALICES = "+919822224567"  # her own lead
NOBODYS = "+919833337777"  # a lead nobody owns yet: its missed call is alice's to return
UNKNOWN = "+919844448888"  # no lead at all


@pytest.fixture
def calls(acme, phone):
    make_lead(acme, phones=[CARLS], owner=acme.carl, name="Carl's lead")
    make_lead(acme, phones=[ALICES], owner=acme.alice, name="Alice's lead")
    make_lead(acme, phones=[NOBODYS], name="Nobody's lead")
    body = send(
        phone,
        [
            call(1, number=CARLS, minutes_ago=50),
            call(2, number=ALICES, minutes_ago=40),
            call(3, number=NOBODYS, type="missed", duration_s=0, minutes_ago=30),
            call(4, number=UNKNOWN, minutes_ago=20),
        ],
    ).json()
    assert body["stored"] == 4, body
    assert CallBack.objects.filter(number=NOBODYS, assignee=acme.alice.user).exists()
    return {c.number: c for c in Call.objects.filter(organisation=acme.org)}


def mask_on(acme):
    Organisation.objects.filter(pk=acme.org.pk).update(mask_other_numbers=True)


def csv_numbers(response) -> dict[str, str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["id"]: row["number"] for row in csv.DictReader(io.StringIO(text))}


def test_off_by_default_agents_see_every_number(acme, as_member, calls):
    numbers = {c["number"] for c in as_member(acme.alice).get("/api/v1/calls").json()["items"]}
    assert numbers == {CARLS, ALICES, NOBODYS, UNKNOWN}
    assert "+91 98111 13210" in as_member(acme.alice).get("/calls/").content.decode()


def test_agent_sees_last_four_digits_of_others_leads_in_the_api(acme, as_member, calls):
    mask_on(acme)
    agent = as_member(acme.alice)
    by_id = {c["id"]: c["number"] for c in agent.get("/api/v1/calls").json()["items"]}
    assert by_id == {
        calls[CARLS].pk: "•••••• 3210",
        calls[ALICES].pk: ALICES,
        calls[NOBODYS].pk: "•••••• 7777",
        calls[UNKNOWN].pk: UNKNOWN,
    }
    assert agent.get(f"/api/v1/calls/{calls[CARLS].pk}").json()["number"] == "•••••• 3210"
    assert agent.get(f"/api/v1/calls/{calls[ALICES].pk}").json()["number"] == ALICES
    (missed,) = agent.get("/api/v1/calls/missed").json()
    assert missed["number"] == "•••••• 7777"
    # Recording an outcome answers with the call, masked too; the stored number is untouched.
    outcome = agent.post(
        f"/api/v1/calls/{calls[CARLS].pk}/outcome", {"note": "busy"}, content_type="application/json"
    )
    assert outcome.status_code == 200 and outcome.json()["number"] == "•••••• 3210"
    assert Call.objects.get(pk=calls[CARLS].pk).number == CARLS


def test_agent_pages_show_no_full_number_and_no_tel_link(acme, as_member, calls):
    mask_on(acme)
    agent = as_member(acme.alice)
    for url in ("/calls/", "/calls/recent/", f"/calls/{calls[CARLS].pk}/", "/calls/missed/"):
        page = agent.get(url).content.decode()
        assert "98111 13210" not in page and "9811113210" not in page, url
        assert "98333 37777" not in page and "9833337777" not in page, url
        assert 'href="tel:+919811113210"' not in page and 'href="tel:+919833337777"' not in page, url
    assert "•••••• 3210" in agent.get("/calls/").content.decode()
    assert "•••••• 7777" in agent.get("/calls/missed/").content.decode()
    own = agent.get(f"/calls/{calls[ALICES].pk}/").content.decode()
    assert 'href="tel:+919822224567"' in own and "+91 98222 24567" in own


def test_agent_csv_is_masked_the_same_way(acme, as_member, calls):
    mask_on(acme)
    numbers = csv_numbers(as_member(acme.alice).get("/calls/?format=csv"))
    assert numbers == {
        str(calls[CARLS].pk): "•••••• 3210",
        str(calls[ALICES].pk): ALICES,
        str(calls[NOBODYS].pk): "•••••• 7777",
        str(calls[UNKNOWN].pk): UNKNOWN,
    }


@pytest.mark.parametrize("who", ["maya", "adam", "olga"])
def test_managers_admins_and_owners_see_numbers_in_full(acme, as_member, calls, who):
    mask_on(acme)
    client = as_member(getattr(acme, who))
    numbers = {c["number"] for c in client.get("/api/v1/calls").json()["items"]}
    assert numbers == {CARLS, ALICES, NOBODYS, UNKNOWN}
    assert set(csv_numbers(client.get("/calls/?format=csv")).values()) == numbers
    page = client.get("/calls/").content.decode()
    assert "••••••" not in page and "+91 98444 48888" in page
