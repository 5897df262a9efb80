"""An outcome pressed while the server is out of reach is kept on the phone and sent by the
next sync, once; pressed again after that, still one outcome on the call."""

import datetime as dt
import json

from support import IST, FaultProxy, on_shift, run_agent


def test_an_outcome_pressed_offline_is_sent_by_the_next_sync(server, tmp_path):
    slug = "offline-outcome"
    proxy = FaultProxy(server.port)
    home = tmp_path / "phone"
    try:
        started = on_shift(home, f"{proxy.url}/p/{server.pairing_code(slug)}")
        log = tmp_path / "calls.json"
        when = dt.datetime.fromtimestamp(started, IST).strftime("%Y-%m-%d %H:%M:%S")
        log.write_text(
            json.dumps(
                [
                    {
                        "name": "Asha",
                        "phone_number": "+919812300001",
                        "type": "OUTGOING",
                        "date": when,
                        "duration": "02:10",
                        "sim_id": "1",
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

        proxy.policy = lambda method, path, body: "error"  # the server answers nothing but 500s
        done = run_agent(home, "outcome", str(call_id), "Interested", "--retries", "0")
        assert done.returncode == 1 and "kept on the phone" in done.stderr
        assert "1 outcome(s) pressed offline waiting" in run_agent(home, "status", "--retries", "0").stdout

        proxy.policy = lambda method, path, body: "pass"
        done = run_agent(home, *sync)
        assert done.returncode == 0 and f"saved: Interested on call {call_id}" in done.stdout
        assert run_agent(home, "outcome", str(call_id), "interested").returncode == 0  # pressed again
        assert "saved:" not in run_agent(home, *sync).stdout  # nothing kept any more
        [(outcome,)] = server.query(
            "SELECT x.name FROM calls_call c JOIN calls_outcome x ON x.id = c.outcome_id WHERE c.id = ?",
            (call_id,),
        )
        assert outcome == "Interested"
    finally:
        proxy.close()
