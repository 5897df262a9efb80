"""The agent as a person uses it, against the real server process: pair, punch in, sync a
sample, see the calls on the server, punch out; offline punches; privacy; revocation."""

import datetime as dt
import json
import re
import sqlite3
import stat
import time
import xml.etree.ElementTree as ET

import pytest
from leadtracker_agent import __version__
from support import FIXTURES, FaultProxy, run_agent, wait_until, write_fake_tools, write_json_atomic

SAMPLE_TYPES = {
    1: "incoming",
    2: "outgoing",
    3: "missed",
    4: "voicemail",
    5: "rejected",
    6: "blocked",
    7: "answered_externally",
}


def moved_sample(tmp_path, *, last_call_at: float, extra: tuple = ()) -> tuple:
    """The SMS Backup & Restore sample, moved in time so its last call is at ``last_call_at``
    (the server only takes punches of the last 24 h, and calls inside a shift), plus ``extra``
    calls (number, epoch, type code, duration) where they are. Returns the path and the
    sample's (number, epoch, type)."""
    tree = ET.parse(FIXTURES / "sbr-calls.xml")  # noqa: S314 - our own fixture
    root = tree.getroot()
    calls = root.findall("call")
    shift = int(last_call_at * 1000) - max(int(c.get("date")) for c in calls)
    for call in calls:
        call.set("date", str(int(call.get("date")) + shift))
    for number, epoch, code, duration in extra:
        ET.SubElement(
            root, "call", number=number, date=str(epoch * 1000), type=str(code), duration=str(duration)
        )
    path = tmp_path / "calls-sample.xml"
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path, [
        (c.get("number"), int(c.get("date")) // 1000, SAMPLE_TYPES[int(c.get("type"))]) for c in calls
    ]


def rfc3339(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


def server_calls(server, token: str) -> list[dict]:
    status, page = server.api("GET", "/calls?limit=200", token)
    assert status == 200, page
    return sorted(page["items"], key=lambda c: c["started_at"])


def test_pair_punch_in_sync_see_calls_punch_out(server, tmp_path):
    home = tmp_path / "phone"
    token, code = server.person("e2e")

    # Pair: the token lands in a file only the user can read.
    done = run_agent(home, "pair", "--server", server.url, "--code", code, "--name", "Asha's phone")
    assert done.returncode == 0, done.stderr
    assert "paired: device" in done.stdout
    assert stat.S_IMODE((home / "config.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    config = json.loads((home / "config.json").read_text())
    assert config["server"] == server.url and config["token"]
    status, devices = server.api("GET", "/devices", token)
    device = next(d for d in devices if d["id"] == config["device_id"])
    assert device["name"] == "Asha's phone" and device["app_version"] == __version__

    # Punch in as the person did 12 hours ago (the sample is a day of calls).
    now = time.time()
    punched_at = int(now - 12 * 3600)
    done = run_agent(home, "punch-in", "--at", rfc3339(punched_at))
    assert done.returncode == 0, done.stderr
    status, shift = server.api("GET", "/attendance/shift", token)
    assert status == 200 and shift["ended_at"] is None
    assert dt.datetime.fromisoformat(shift["started_at"]).timestamp() == punched_at

    # One call from before the punch-in: in the call log, never queued, never sent.
    before = ("+919000000009", punched_at - 600, 2, 30)
    sample, rows = moved_sample(tmp_path, last_call_at=now - 600, extra=[before])

    done = run_agent(home, "sync", "--source", f"file:{sample}", "--tz", "Asia/Kolkata")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(
        "sync: read 7 calls, 6 new queued (1 outside the shift); "
        "sent 6 in 1 batch(es): 6 stored, 0 duplicates"
    ), done.stdout
    assert "outbox 0" in done.stdout

    calls = server_calls(server, token)
    got = [(c["number"], c["type"], c["status"], c["duration_s"], c["device_id"], c["via"]) for c in calls]
    assert got == [
        ("+919876543210", "missed", "missed", 0, config["device_id"], "device"),
        ("+919845012345", "outgoing", "connected", 207, config["device_id"], "device"),
        ("", "rejected", "rejected", 0, config["device_id"], "device"),
        ("+918023456789", "incoming", "answered", 3725, config["device_id"], "device"),
        ("+919876543210", "outgoing", "connected", 95, config["device_id"], "device"),
        ("+917000000001", "blocked", "blocked", 0, config["device_id"], "device"),
    ]
    started = [dt.datetime.fromisoformat(c["started_at"]).timestamp() for c in calls]
    assert started == [epoch for _, epoch, _ in rows]

    # Read again (the 24 h overlap): nothing new, nothing doubled.
    done = run_agent(home, "sync", "--source", f"file:{sample}", "--tz", "Asia/Kolkata")
    assert done.returncode == 0 and "0 new queued" in done.stdout and "nothing to send" in done.stdout
    assert len(server_calls(server, token)) == 6

    done = run_agent(home, "status")
    assert done.returncode == 0, done.stdout
    assert re.search(r"token:\s+valid", done.stdout) and "0 call(s) waiting" in done.stdout
    done = run_agent(home, "doctor", "--source", f"file:{sample}")
    assert done.returncode == 0, done.stdout
    assert "device state sent" in done.stdout
    status, devices = server.api("GET", "/devices", token)
    device = next(d for d in devices if d["id"] == config["device_id"])
    assert device["queue_length"] == 0 and device["last_sync_at"]
    assert (
        device["app_version"] == __version__ and device["call_log_permission"] == "unknown"
    )  # a file: no permission
    # (the API's device shape leaves out the last read; the table has it)
    assert server.query("SELECT last_call_log_read_at FROM calls_device WHERE id = ?", (device["id"],))[0][0]

    done = run_agent(home, "punch-out")
    assert done.returncode == 0, done.stderr
    assert server.api("GET", "/attendance/shift", token) == (200, None)

    # watch, off shift with nothing to send, stops when asked to.
    done = run_agent(
        home, "watch", "--interval", "0.2", "--until-off-shift", "--source", f"file:{sample}", timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "off shift and nothing left to send" in done.stdout


def test_offline_punch_keeps_its_time_privacy_holds_and_revocation_stops(server, tmp_path):
    home = tmp_path / "phone"
    fake_bin = write_fake_tools(tmp_path / "bin")
    log_path = tmp_path / "log.json"
    token, code = server.person("offline")
    proxy = FaultProxy(server.port)
    try:
        done = run_agent(home, "pair", "--server", proxy.url, "--code", code)
        assert done.returncode == 0, done.stderr
        assert run_agent(home, "exclude", "add", "+91 99999 11111").returncode == 0

        # The network is down (every request answers 500): the punch is kept with its time.
        proxy.policy = lambda method, path, body: "error"
        now = int(time.time())
        punched_at = now - 3600
        done = run_agent(home, "punch-in", "--at", rfc3339(punched_at), "--retries", "1", "--backoff", "0.01")
        assert done.returncode == 0, done.stderr
        assert "recorded; the server is unreachable" in done.stdout
        assert server.api("GET", "/attendance/shift", token) == (200, None)

        def call(epoch, number, kind="outgoing", duration=60):
            return {
                "epoch": epoch,
                "ms": 0,
                "number": number,
                "type": kind,
                "duration": duration,
                "name": None,
                "sim": "1",
                "row_id": epoch,
            }

        log = [
            call(punched_at - 900, "+919800000001"),  # before the punch-in
            call(punched_at - 5, "+919800000002"),
            call(punched_at + 60, "09800000003"),
            call(punched_at + 120, "98000 00004", "missed", 0),
            call(punched_at + 180, "+91 99999 11111"),  # a personal number
            call(punched_at + 240, "", "rejected", 0),
        ]
        write_json_atomic(log_path, log)
        args = ("sync", "--source", "termux", "--tz", "Asia/Kolkata", "--retries", "1", "--backoff", "0.01")
        done = run_agent(home, *args, fake_bin=fake_bin, FAKE_CALL_LOG=str(log_path))
        assert done.returncode == 1
        # The window starts at the punch-in: the calls before it are not even read.
        assert "read 4 calls, 3 new queued (1 excluded)" in done.stdout
        assert "STOPPED: server unreachable" in done.stdout and "outbox 3" in done.stdout

        # Back online: the punch goes first, with the time the person punched, then the calls.
        proxy.policy = lambda method, path, body: "pass"
        done = run_agent(home, *args, fake_bin=fake_bin, FAKE_CALL_LOG=str(log_path))
        assert done.returncode == 0, done.stdout + done.stderr
        assert "1 punch(es) sent" in done.stdout and "3 stored" in done.stdout
        status, shift = server.api("GET", "/attendance/shift", token)
        assert dt.datetime.fromisoformat(shift["started_at"]).timestamp() == punched_at
        assert sorted(c["number"] for c in server_calls(server, token)) == [
            "",
            "+919800000003",
            "+919800000004",
        ]
        # Nothing outside the shift and no personal number ever went over the wire.
        for body in proxy.sync_bodies:
            for sent in json.loads(body)["calls"]:
                assert "99999" not in sent["number"].replace(" ", "")
                assert dt.datetime.fromisoformat(sent["started_at"]).timestamp() >= punched_at

        # Revoked in the web app: the token fails at once, the agent says to pair again.
        config = json.loads((home / "config.json").read_text())
        status, _ = server.api("DELETE", f"/devices/{config['device_id']}", token)
        assert status == 200
        done = run_agent(home, *args, fake_bin=fake_bin, FAKE_CALL_LOG=str(log_path))
        assert done.returncode == 3
        assert "pair it again" in done.stdout
        done = run_agent(home, "status")
        assert done.returncode == 1 and "REFUSED" in done.stdout
    finally:
        proxy.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sync", "--source", "file:/nowhere.xml"), "not paired"),
        (("pair", "--server", "ftp://x", "--code", "ABCD-EFGH"), "--server: 'ftp://x' must be an address"),
        (("punch-in", "--lat", "91", "--lon", "0"), "not paired"),
    ],
)
def test_usage_errors_name_the_field(tmp_path, args, message):
    done = run_agent(tmp_path / "phone", *args)
    assert done.returncode == 2
    assert message in done.stderr


def test_watch_syncs_while_on_shift_and_stops_on_sigterm(server, tmp_path):
    import signal
    import subprocess

    from support import agent_cmd, agent_env

    home = tmp_path / "phone"
    fake_bin = write_fake_tools(tmp_path / "bin")
    log_path = tmp_path / "log.json"
    write_json_atomic(log_path, [])
    token, code = server.person("watch")
    assert run_agent(home, "pair", "--server", server.url, "--code", code).returncode == 0
    now = int(time.time())
    assert run_agent(home, "punch-in", "--at", rfc3339(now - 600)).returncode == 0
    env = agent_env(home, fake_bin=fake_bin, FAKE_CALL_LOG=str(log_path))
    watch = subprocess.Popen(
        agent_cmd("watch", "--interval", "0.3", "--source", "termux", "--tz", "Asia/Kolkata"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Calls made while watch runs reach the server without anyone running sync.
        for i, number in enumerate(["+919811100001", "+919811100002"]):
            call = {"epoch": now - 300 + i, "ms": 0, "number": number, "type": "outgoing", "duration": 20}
            log = json.loads(log_path.read_text()) + [{**call, "name": None, "sim": "1", "row_id": i + 1}]
            write_json_atomic(log_path, log)
            # Looked for in the server's database (an API request every 50 ms was a Django
            # request's CPU each); the API says the same once it is there.
            wait_until(lambda n=i + 1: len(server.calls_of("watch")) >= n, f"call {i + 1} on the server")
            assert len(server_calls(server, token)) == i + 1
        watch.send_signal(signal.SIGTERM)
        out, err = watch.communicate(timeout=60)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert watch.returncode == 0, err
    assert out.startswith("watch: every 0.3 s from termux")
    assert sorted(c["number"] for c in server_calls(server, token)) == ["+919811100001", "+919811100002"]


# --- the shift is the server's: closed on the web or at day end, opened and closed on the web ----


def log_call(epoch: int, number: str, row_id: int) -> dict:
    return {
        "epoch": epoch,
        "ms": 0,
        "number": number,
        "type": "outgoing",
        "duration": 45,
        "name": None,
        "sim": "1",
        "row_id": row_id,
    }


def numbers_sent(proxy) -> list[str]:
    return [c["number"] for body in proxy.sync_bodies for c in json.loads(body)["calls"]]


class Phone:
    """A paired phone reading a fake termux-call-log through a proxy that records the wire."""

    def __init__(self, server, tmp_path, slug: str):
        self.server, self.slug = server, slug
        self.home = tmp_path / "phone"
        self.fake_bin = write_fake_tools(tmp_path / "bin")
        self.log_path = tmp_path / "log.json"
        write_json_atomic(self.log_path, [])
        self.token, code = server.person(slug)  # the token: the same person, on the web
        self.proxy = FaultProxy(server.port)
        done = self.agent("pair", "--server", self.proxy.url, "--code", code)
        assert done.returncode == 0, done.stderr

    def agent(self, *args: str, **kw):
        return run_agent(self.home, *args, fake_bin=self.fake_bin, FAKE_CALL_LOG=str(self.log_path), **kw)

    def sync(self, *extra: str):
        return self.agent(
            "sync",
            "--source",
            "termux",
            "--tz",
            "Asia/Kolkata",
            "--retries",
            "1",
            "--backoff",
            "0.01",
            *extra,
        )

    def web(self, kind: str, at: float):
        status, shift = self.server.api("POST", f"/attendance/punch-{kind}", self.token, {"at": rfc3339(at)})
        assert status in (200, 201), shift
        return shift

    def stored(self) -> list[str]:
        return [c["number"] for c in server_calls(self.server, self.token)]


def test_calls_queued_before_a_web_punch_out_that_fall_after_it_never_leave_the_phone(server, tmp_path):
    phone = Phone(server, tmp_path, "web-out")
    try:
        now = int(time.time())
        assert phone.agent("punch-in", "--at", rfc3339(now - 3 * 3600)).returncode == 0
        write_json_atomic(
            phone.log_path,
            [log_call(now - 9000, "+919810000001", 1), log_call(now - 3600, "+919810000002", 2)],
        )
        phone.proxy.policy = lambda method, path, body: "error"  # offline
        done = phone.sync()
        assert done.returncode == 1 and "2 new queued" in done.stdout, done.stdout
        # The person punched out on the web two hours ago, while the phone was offline.
        phone.web("out", now - 2 * 3600)
        phone.proxy.policy = lambda method, path, body: "pass"
        done = phone.sync()
        assert done.returncode == 0, done.stdout + done.stderr
        assert "outbox 0" in done.stdout
        assert phone.stored() == ["+919810000001"]
        assert numbers_sent(phone.proxy) == ["+919810000001"]  # the other one never on the wire
    finally:
        phone.proxy.close()


def test_a_shift_closed_automatically_at_day_end_bounds_the_calls(server, tmp_path):
    phone = Phone(server, tmp_path, "day-end")
    try:
        now = int(time.time())
        assert phone.agent("punch-in", "--at", rfc3339(now - 3 * 3600)).returncode == 0
        status, shift = server.api("GET", "/attendance/shift", phone.token)
        # The worker's close at the organisation's day end, as it writes it.
        end = dt.datetime.fromtimestamp(now - 2 * 3600, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        db = sqlite3.connect(server.db_path, timeout=30)
        try:
            with db:
                db.execute(
                    "UPDATE attendance_shift SET ended_at = ?, ended_via = '', closed_automatically = 1 "
                    "WHERE id = ?",
                    (end, shift["id"]),
                )
        finally:
            db.close()
        write_json_atomic(
            phone.log_path,
            [log_call(now - 9000, "+919820000001", 1), log_call(now - 5400, "+919820000002", 2)],
        )
        done = phone.sync()
        assert done.returncode == 0, done.stdout + done.stderr
        assert "1 new queued (1 outside the shift)" in done.stdout, done.stdout
        assert phone.stored() == ["+919820000001"]
        assert numbers_sent(phone.proxy) == ["+919820000001"]
    finally:
        phone.proxy.close()


def test_a_shift_punched_in_and_out_on_the_web_between_two_syncs_is_synced_by_watch(server, tmp_path):
    phone = Phone(server, tmp_path, "web-shift")
    try:
        now = int(time.time())
        # A morning shift on the phone, synced (the phone has read its call log since).
        assert phone.agent("punch-in", "--at", rfc3339(now - 10 * 3600)).returncode == 0
        assert phone.agent("punch-out", "--at", rfc3339(now - 9 * 3600)).returncode == 0
        write_json_atomic(
            phone.log_path,
            [
                log_call(now - 34200, "+919830000001", 1),  # in the phone's shift
                log_call(now - 16200, "+919830000002", 2),  # in the web shift below
                log_call(now - 12600, "+919830000003", 3),  # after it
            ],
        )
        done = phone.sync()
        assert done.returncode == 0 and phone.stored() == ["+919830000001"], done.stdout
        # Later, on the web, the person records an afternoon shift (punch-in and out, backdated).
        phone.web("in", now - 5 * 3600)
        phone.web("out", now - 4 * 3600)
        done = phone.agent(
            "watch",
            "--interval",
            "0.2",
            "--until-off-shift",
            "--source",
            "termux",
            "--tz",
            "Asia/Kolkata",
            timeout=30,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert phone.stored() == ["+919830000001", "+919830000002"], done.stdout
        assert "+919830000003" not in numbers_sent(phone.proxy)
    finally:
        phone.proxy.close()
