"""The Interested button after a call saves the server's outcome sheet, not the bare outcome:
the lead moves to Interested and keeps one open follow-up (the new one, "tomorrow 11 am",
replacing the one it had); pressed twice, the sheet is stored once. Not connected ("No answer",
which asks for a follow-up) sets tomorrow 11 am in the organisation's zone; on a call whose number
is no lead (no follow-up possible) its outcome alone is recorded."""

import datetime as dt
import json

from support import IST, on_shift, run_agent

NUMBER = "+919812300077"


def test_interested_moves_the_lead_and_leaves_one_open_follow_up(server, tmp_path):
    slug = "outcome-sheet"
    token, code = server.person(slug)
    status, lead = server.api("POST", "/leads", token, {"name": "Kavita Rao", "phones": [NUMBER]})
    assert status == 201, lead
    earlier = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat(timespec="seconds")
    status, old = server.api("POST", f"/leads/{lead['id']}/follow-ups", token, {"due_at": earlier})
    assert status == 201, old
    home = tmp_path / "phone"
    started = on_shift(home, f"{server.url}/p/{code}")
    log = tmp_path / "calls.json"
    when = dt.datetime.fromtimestamp(started, IST).strftime("%Y-%m-%d %H:%M:%S")
    log.write_text(
        json.dumps(
            [
                {
                    "name": "Kavita",
                    "phone_number": NUMBER,
                    "type": "OUTGOING",
                    "date": when,
                    "duration": "01:30",
                }
            ]
        )
    )
    sync = ("sync", "--source", f"file:{log}", "--format", "termux", "--tz", "Asia/Kolkata")
    assert run_agent(home, *sync).returncode == 0
    [(call_id,)] = server.query(
        "SELECT c.id FROM calls_call c JOIN accounts_organisation o ON o.id = c.organisation_id "
        "WHERE o.slug = ?",
        (slug,),
    )

    for _ in range(2):  # pressed twice
        done = run_agent(home, "outcome", str(call_id), "Interested")
        assert done.returncode == 0, done.stderr
        assert f"saved: Interested on call {call_id}" in done.stdout

    [(status_name,)] = server.query(
        "SELECT s.name FROM leads_lead l JOIN leads_leadstatus s ON s.id = l.status_id WHERE l.id = ?",
        (lead["id"],),
    )
    assert status_name == "Interested"
    open_ones = server.query(
        "SELECT id FROM leads_followup WHERE lead_id = ? AND done_at IS NULL AND cancelled_at IS NULL",
        (lead["id"],),
    )
    assert len(open_ones) == 1 and open_ones[0][0] != old["id"]
    # Stored once: the old follow-up closed and one new one, not a third from the second press.
    [(outcome,)] = server.query(
        "SELECT x.name FROM calls_call c JOIN calls_outcome x ON x.id = c.outcome_id WHERE c.id = ?",
        (call_id,),
    )
    assert outcome == "Interested"
    assert len(server.query("SELECT id FROM leads_followup WHERE lead_id = ?", (lead["id"],))) == 2


def test_not_connected_sets_tomorrow_11_am_and_a_number_that_is_no_lead_keeps_the_outcome_alone(
    server, tmp_path
):
    slug = "outcome-sheet-no-answer"
    token, code = server.person(slug)
    status, lead = server.api("POST", "/leads", token, {"name": "Mohan Pillai", "phones": [NUMBER]})
    assert status == 201, lead
    home = tmp_path / "phone"
    started = on_shift(home, f"{server.url}/p/{code}")
    log = tmp_path / "calls.json"
    rows = []
    for i, number in enumerate([NUMBER, "+919812399999"]):  # the lead's number, then no lead's
        when = dt.datetime.fromtimestamp(started + i * 60, IST).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(
            {"name": None, "phone_number": number, "type": "OUTGOING", "date": when, "duration": "00:00"}
        )
    log.write_text(json.dumps(rows))
    sync = ("sync", "--source", f"file:{log}", "--format", "termux", "--tz", "Asia/Kolkata")
    assert run_agent(home, *sync).returncode == 0
    calls = dict(
        server.query(
            "SELECT c.lead_id IS NOT NULL, c.id FROM calls_call c JOIN accounts_organisation o "
            "ON o.id = c.organisation_id WHERE o.slug = ?",
            (slug,),
        )
    )
    assert set(calls) == {0, 1}  # one call with the lead, one with no lead
    for call_id in calls.values():
        done = run_agent(home, "outcome", str(call_id), "No answer")  # the Not connected button
        assert done.returncode == 0, done.stderr
        assert f"saved: No answer on call {call_id}" in done.stdout

    tomorrow = (dt.datetime.now(IST) + dt.timedelta(days=1)).date()
    [(due_at,)] = server.query(
        "SELECT due_at FROM leads_followup WHERE lead_id = ? AND done_at IS NULL AND cancelled_at IS NULL",
        (lead["id"],),
    )
    assert due_at.startswith(f"{tomorrow} 05:30")  # 11 am in Asia/Kolkata, the organisation's zone
    outcomes = server.query(
        "SELECT x.name FROM calls_call c JOIN calls_outcome x ON x.id = c.outcome_id WHERE c.id IN (?, ?)",
        tuple(calls.values()),
    )
    assert outcomes == [("No answer",), ("No answer",)]
