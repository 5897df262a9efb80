"""Follow-up reminders from the agent, for people without Web Push: on shift, watch reads the
person's agenda with the phone's token and a fake `termux-notification` records one reminder per
follow-up whose reminder time has come — none for one still ahead, none twice, and one more for
a follow-up that becomes due while watching. Tapping opens the lead's page."""

import datetime as dt
import json
import subprocess
import time

from support import agent_cmd, agent_env, run_agent, wait_until
from test_post_call_prompt import fake_phone, lines


def at(minutes: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")


def test_each_due_follow_up_is_reminded_once(server, tmp_path):
    slug = "reminders"
    token, code = server.person(slug)
    follow_ups = {}
    for name, number, minutes, remind in (
        ("Asha Sharma", "+919812300101", -60, 15),  # overdue
        ("Bharat Iyer", "+919812300102", 10, 15),  # due soon: its reminder time has come
        ("Chitra Das", "+919812300103", 180, 15),  # later today or tomorrow: not yet
    ):
        status, lead = server.api("POST", "/leads", token, {"name": name, "phones": [number]})
        assert status == 201, lead
        body = {"due_at": at(minutes), "remind_minutes_before": remind}
        status, fu = server.api("POST", f"/leads/{lead['id']}/follow-ups", token, body)
        assert status == 201, fu
        follow_ups[name] = (lead["id"], fu["id"])
    home = tmp_path / "phone"
    assert run_agent(home, "pair", f"{server.url}/p/{code}").returncode == 0
    punched = dt.datetime.fromtimestamp(time.time() - 600, dt.UTC).isoformat(timespec="seconds")
    assert run_agent(home, "punch-in", "--at", punched).returncode == 0
    fake = fake_phone(tmp_path / "bin")
    log = tmp_path / "calls.json"
    log.write_text(json.dumps([]))
    env = agent_env(home, fake_bin=fake, TZ="Asia/Kolkata")
    watch_out = tmp_path / "watch.out"
    source = ("--source", f"file:{log}", "--format", "termux", "--tz", "Asia/Kolkata")
    with open(watch_out, "wb") as out:
        watch = subprocess.Popen(
            agent_cmd("watch", *source, "--interval", "3600", "--remind-every", "0.3", "--verbose"),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: len(lines(fake / "notifications")) >= 2, "two reminders")
        rounds = watch_out.read_text().count("remind:")
        wait_until(lambda: watch_out.read_text().count("remind:") >= rounds + 3, "three more agenda reads")
        assert len(lines(fake / "notifications")) == 2
        # A follow-up that becomes due while watching: reminded at the next read, once.
        lead_id, _ = follow_ups["Chitra Das"]
        status, fu = server.api("POST", f"/leads/{lead_id}/follow-ups", token, {"due_at": at(5)})
        assert status == 201, fu
        follow_ups["Chitra Das (new)"] = (lead_id, fu["id"])
        wait_until(lambda: len(lines(fake / "notifications")) >= 3, "the third reminder")
        rounds = watch_out.read_text().count("remind:")
        wait_until(lambda: watch_out.read_text().count("remind:") >= rounds + 3, "three more agenda reads")
    finally:
        watch.terminate()
        watch.wait(10)
    shown = [dict(zip(args[::2], args[1::2], strict=True)) for args in lines(fake / "notifications")]
    expected = ["Asha Sharma", "Bharat Iyer", "Chitra Das (new)"]
    assert sorted(s["--id"] for s in shown) == sorted(
        f"leadtracker-follow-up-{follow_ups[name][1]}" for name in expected
    )
    by_id = {s["--id"]: s for s in shown}
    first = by_id[f"leadtracker-follow-up-{follow_ups['Asha Sharma'][1]}"]
    assert first["--title"].startswith("Follow-up: call Asha Sharma · ")
    lead_page = f"{server.url}/leads/{follow_ups['Asha Sharma'][0]}/"
    assert first["--action"] == f"termux-open-url {lead_page}"
    # Tapping it opens the lead's page.
    assert subprocess.run(["sh", "-c", first["--action"]], env=env, timeout=30, check=False).returncode == 0
    assert lines(fake / "opened") == [[lead_page]]
