"""doctor says in plain words what is wrong and the one thing to do first."""

import json

from support import free_port, run_agent


def test_a_phone_not_paired_is_told_where_the_pairing_link_is(tmp_path):
    done = run_agent(tmp_path / "phone", "doctor", "--source", "file:/nowhere.xml")
    assert done.returncode == 1
    assert "paired:" in done.stdout and "!! no" in done.stdout
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith(
        "2 thing(s) to fix. Do this first: on the web app open Phones, make a pairing code"
    )


def test_a_server_out_of_reach_says_to_turn_on_data(tmp_path):
    home = tmp_path / "phone"
    home.mkdir(mode=0o700)
    config = {
        "server": f"http://127.0.0.1:{free_port()}",
        "token": "ltd_x",
        "device_id": 1,
        "organisation": "acme",
    }
    (home / "config.json").write_text(json.dumps(config))
    (home / "config.json").chmod(0o600)
    done = run_agent(home, "doctor", "--retries", "0", "--timeout", "2", "--source", "file:/nowhere.xml")
    assert done.returncode == 1
    assert "!! NOT reachable" in done.stdout
    assert "Do this first: turn on mobile data or Wi-Fi" in done.stdout.strip().splitlines()[-1]
