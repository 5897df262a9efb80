"""The calls list: who sees what, filters, CSV export, and the missed-calls page."""

import csv
import io

from leadtracker.testing import call, make_lead, open_shift, paired_client, send


def _fill(acme):
    make_lead(acme, phones=["+919800000001"], owner=acme.alice, name='=HYPERLINK("x")')
    open_shift(acme.alice)
    open_shift(acme.carl)
    send(
        paired_client(acme.alice),
        [
            call(1, number="+919800000001", minutes_ago=30),
            call(2, number="+919811111111", type="missed", duration_s=0, minutes_ago=20),
        ],
    )
    send(paired_client(acme.carl), [call(3, number="+919822222222", type="incoming", minutes_ago=10)])


def test_agents_see_their_own_calls_and_managers_their_team(acme, as_member):
    _fill(acme)
    mine = as_member(acme.alice).get("/api/v1/calls").json()["items"]
    assert len(mine) == 2 and {c["user_id"] for c in mine} == {acme.alice.user_id}
    maya = as_member(acme.maya).get("/api/v1/calls").json()["items"]  # alice is in Maya's team
    assert {c["user_id"] for c in maya} == {acme.alice.user_id}
    everyone = as_member(acme.adam).get("/api/v1/calls").json()["items"]
    assert len(everyone) == 3
    assert [c["started_at"] for c in everyone] == sorted((c["started_at"] for c in everyone), reverse=True)


def test_filters(acme, as_member):
    _fill(acme)
    admin = as_member(acme.adam)

    def ids(query):
        return [c["number"] for c in admin.get(f"/api/v1/calls?{query}").json()["items"]]

    assert ids("status=missed") == ["+919811111111"]
    assert ids("direction=in") == ["+919822222222", "+919811111111"]
    assert ids("lead=lead") == ["+919800000001"]
    assert ids("lead=unknown") == ["+919822222222", "+919811111111"]
    assert ids(f"user_id={acme.carl.user_id}") == ["+919822222222"]
    assert ids(f"team_of={acme.maya.pk}") == ["+919811111111", "+919800000001"]
    assert ids("limit=1")[0] == "+919822222222"
    page = admin.get("/api/v1/calls?limit=2").json()
    rest = admin.get(f"/api/v1/calls?limit=2&cursor={page['next_cursor']}").json()["items"]
    assert [c["number"] for c in rest] == ["+919800000001"]


def test_the_page_filters_and_exports_csv(acme, as_member):
    _fill(acme)
    admin = as_member(acme.adam)
    page = admin.get("/calls/?status=missed").content.decode()
    assert "+91 98111 11111" in page and "+91 98222 22222" not in page
    response = admin.get("/calls/?format=csv&lead=lead")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "started_at", "agent"]
    assert len(rows) == 2 and rows[1][6] == "+919800000001"
    assert rows[1][8].startswith("'=")  # a name that looks like a formula is written as text


def test_missed_calls_page_is_built_for_the_owner(acme, as_member):
    make_lead(acme, phones=["+919800000005"], owner=acme.alice, name="Sunita")
    open_shift(acme.alice)
    send(paired_client(acme.alice), [call(1, number="+919800000005", type="missed", duration_s=0)])
    page = as_member(acme.alice).get("/calls/missed/").content.decode()
    assert "Sunita" in page and 'href="tel:+919800000005"' in page
    assert "Sunita" not in as_member(acme.carl).get("/calls/missed/").content.decode()


def test_usage_counts_syncs_and_can_be_switched_off(acme, as_member):
    _fill(acme)
    usage = as_member(acme.adam).get("/api/v1/usage").json()
    assert usage["by_event"]["calls.sync"] == 2
    acme.org.usage_events = False
    acme.org.save()
    open_shift(acme.bob)
    send(paired_client(acme.bob), [call(9, number="+919833333333")])
    assert as_member(acme.adam).get("/api/v1/usage").json()["by_event"]["calls.sync"] == 2
    assert as_member(acme.maya).get("/api/v1/usage").status_code == 403
    assert "calls.sync" in as_member(acme.adam).get("/calls/usage/").content.decode()


def test_a_call_to_a_colleagues_lead_does_not_show_its_name(acme, as_member):
    make_lead(acme, phones=["+919800000007"], owner=acme.carl, name="Carl's Secret Client")
    open_shift(acme.alice)
    send(paired_client(acme.alice), [call(1, number="+919800000007")])
    client = as_member(acme.alice)
    for url in ("/calls/recent/", "/calls/"):
        page = client.get(url).content.decode()
        assert "Carl's Secret Client" not in page and "a colleague's lead" in page
    from leadtracker.calls.models import Call

    detail = client.get(f"/calls/{Call.objects.get().pk}/").content.decode()
    assert "Carl&#x27;s Secret Client" not in detail and "Carl's Secret Client" not in detail
    assert "Carl&#x27;s Secret Client" in as_member(acme.adam).get("/calls/").content.decode()


def test_the_csv_hides_a_colleagues_lead_and_is_audited(acme, as_member):
    from leadtracker.accounts.models import AuditEvent

    make_lead(acme, phones=["+919811111111"], owner=acme.alice, name="Secret Alice Lead")
    open_shift(acme.bob)
    send(paired_client(acme.bob), [call(1, number="+919811111111")])
    response = as_member(acme.bob).get("/calls/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and rows[1][6] == "+919811111111"
    assert "Secret Alice Lead" not in text
    assert AuditEvent.objects.filter(action="call.export", actor_user=acme.bob.user).exists()
    admin_text = b"".join(as_member(acme.adam).get("/calls/?format=csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert "Secret Alice Lead" in admin_text


def test_an_agent_is_not_shown_her_own_name_on_every_row(acme, as_member):
    """On a 360 px phone the Agent column pushed Outcome out of sight; for someone who sees only
    her own calls it said her name on every row, so it goes. A manager still gets it."""
    _fill(acme)
    mine = as_member(acme.alice).get("/calls/").content.decode()
    assert "<th>Agent</th>" not in mine and "<th>Outcome</th>" in mine
    assert 'colspan="3"' not in mine  # rows found: no empty-state row
    team = as_member(acme.maya).get("/calls/").content.decode()
    assert "<th>Agent</th>" in team
    empty = as_member(acme.carl).get("/calls/?status=missed").content.decode()
    assert 'colspan="3"' in empty
