"""The client duties of the protocol, against a small fake server in this process: backoff
with jitter on network errors and 5xx, never a 4xx retried as is, only answered calls leave the
outbox, punches before calls, privacy on the phone."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from leadtracker_agent.agent import Agent, ProtocolError, Source, check_answer
from leadtracker_agent.calls import resolve_tz
from leadtracker_agent.cli import _status_of
from leadtracker_agent.client import AuthError, Client, HttpError, NetworkError
from leadtracker_agent.config import Config
from leadtracker_agent.store import Store
from support import agent_cmd, agent_env, run_agent, wait_until, write_fake_tools, write_json_atomic


class FakeServer:
    """Answers with ``handle(method, path, body) -> (status, json, headers)``; records requests."""

    def __init__(self):
        self.requests: list[tuple[str, str, object]] = []
        self.handle = lambda method, path, body: (200, {}, {})
        self.clock_shift = 0.0  # the server's clock minus the real one, in its Date header
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def date_time_string(self, timestamp=None):
                return super().date_time_string(time.time() + outer.clock_shift)

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                path = self.path.removeprefix("/api/v1")
                outer.requests.append((self.command, path, body))
                status, answer, headers = outer.handle(self.command, path, body)
                data = json.dumps(answer).encode() if not isinstance(answer, bytes) else answer
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that timed out and left (the stall test)

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self):
        return [f"{m} {p}" for m, p, _ in self.requests]


@pytest.fixture
def fake():
    server = FakeServer()
    yield server
    server.close()


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def shift(ended=None):
    return {"id": 7, "started_at": "2026-11-24T03:30:00+00:00", "ended_at": ended}


def shift_answer(path, *shifts):
    """GET /attendance/shifts lists the person's shifts; GET /attendance/shift (what older agents
    asked) is the open one, if any."""
    if path.startswith("/attendance/shifts"):
        return list(shifts)
    return next((s for s in shifts if not s["ended_at"]), None)


def sync_answer(body, rejected=()):
    calls = body["calls"]
    rejected = [{"index": i, "error": e} for i, e in rejected]
    return {
        "received": len(calls),
        "stored": len(calls) - len(rejected),
        "duplicates": 0,
        "outside_shift": 0,
        "rejected": rejected,
    }


# --- the HTTP client -----------------------------------------------------------------------------


def test_5xx_and_network_errors_are_retried_with_growing_jittered_waits(fake):
    answers = iter([503, 500, 502, 200])
    fake.handle = lambda m, p, b: (next(answers), {"detail": "busy"}, {})
    sleeps = Sleeps()
    client = Client(fake.url, "tok", retries=5, backoff=1.0, backoff_max=30, sleep=sleeps)
    assert client.call("GET", "/health")[0] == 200
    assert len(fake.requests) == 4
    assert len(sleeps) == 3
    for attempt, waited in enumerate(sleeps):
        assert 0 <= waited <= 2**attempt  # full jitter under an exponential ceiling
    assert client.clock_offset is not None and abs(client.clock_offset) < 5


def test_retry_after_is_honoured_up_to_the_cap(fake):
    answers = iter([503, 200])
    fake.handle = lambda m, p, b: (next(answers), {}, {"Retry-After": "7"})
    sleeps = Sleeps()
    Client(fake.url, retries=2, backoff=0.1, backoff_max=5, sleep=sleeps).call("GET", "/x")
    assert sleeps == [5]


def test_a_4xx_is_never_retried(fake):
    fake.handle = lambda m, p, b: (409, {"detail": "you are not punched in"}, {})
    sleeps = Sleeps()
    with pytest.raises(HttpError) as caught:
        Client(fake.url, retries=5, sleep=sleeps).call("POST", "/attendance/punch-out", {})
    assert caught.value.status == 409 and caught.value.detail == "you are not punched in"
    assert len(fake.requests) == 1 and sleeps == []
    fake.handle = lambda m, p, b: (401, {"detail": "invalid token"}, {})
    with pytest.raises(AuthError, match="pair it again"):
        Client(fake.url, retries=5, sleep=sleeps).call("GET", "/attendance/shift")
    assert len(fake.requests) == 2


def test_after_the_last_retry_a_network_error_says_what_happened():
    sleeps = Sleeps()
    client = Client("http://127.0.0.1:9", retries=2, backoff=0.01, sleep=sleeps)  # discard port: refused
    with pytest.raises(NetworkError, match="connection refused.*after 3 attempt"):
        client.call("GET", "/health")
    assert len(sleeps) == 2


def test_a_stalled_server_times_out_and_a_cut_answer_is_resent(fake):
    calls = {"n": 0}
    gave_up = threading.Event()

    def handle(m, p, b):
        calls["n"] += 1
        if calls["n"] == 1:
            gave_up.wait(60)  # stalled until the client has left, however long that takes
        if calls["n"] == 2:
            return 200, b'{"received": 5, "sto', {}
        return 200, {"ok": True}, {}

    fake.handle = handle
    sleeps = Sleeps()
    # A timeout that a prompt answer meets even on a loaded machine; only the stall exceeds it.
    client = Client(fake.url, timeout=2, retries=3, sleep=sleeps)
    try:
        assert client.call("GET", "/x") == (200, {"ok": True})
    finally:
        gave_up.set()
    assert calls["n"] == 3 and len(sleeps) == 2


def test_a_redirect_is_an_error_that_says_which_address_to_use(fake):
    fake.handle = lambda m, p, b: (301, {}, {"Location": "https://crm.example.in/api/v1/calls/sync"})
    with pytest.raises(HttpError, match="redirects to https://crm.example.in.*pair again"):
        Client(fake.url, sleep=Sleeps()).call("POST", "/calls/sync", {"calls": []})
    assert len(fake.requests) == 1


# --- the sync round ------------------------------------------------------------------------------


def make_agent(tmp_path, fake, log, *, exclude=(), batch_size=500):
    config = Config(tmp_path / "home")
    config.data.update(server=fake.url, token="tok", exclude=list(exclude))
    config.save()
    store = Store(str(config.state_path))
    path = tmp_path / "log.json"
    path.write_text(json.dumps(log))
    client = Client(fake.url, "tok", retries=1, backoff=0.01, sleep=Sleeps())
    source = Source("file", str(path), "termux")
    agent = Agent(config, store, client, source=source, tz=resolve_tz("UTC"), batch_size=batch_size)
    return agent, store


def row(minute, number="9876543210", kind="OUTGOING", duration="00:30"):
    return {
        "name": None,
        "phone_number": number,
        "type": kind,
        "date": f"2026-11-24 10:{minute:02d}:00",
        "duration": duration,
        "sim_id": "1",
    }


def test_the_row_a_422_names_is_set_aside_and_the_rest_sent_again(fake, tmp_path):
    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, shift()), {}
        if path == "/calls/sync":
            bad = [i for i, c in enumerate(body["calls"]) if c["number"] == "666"]
            if bad:
                field = f"calls.{bad[0]}.number"
                return 422, {"detail": f"{field}: no", "errors": [{"field": field, "message": "no"}]}, {}
            return 200, sync_answer(body), {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(1), row(2, "666"), row(3)])
    result = agent.sync()
    assert not result.error, result.line()
    sent = [[c["number"] for c in b["calls"]] for m, p, b in fake.requests if p == "/calls/sync"]
    # The refused request is never repeated as it was: the next one leaves the named row out.
    assert sent == [["9876543210", "666", "9876543210"], ["9876543210", "9876543210"]]
    assert result.refused == 1 and result.stored == 2
    assert store.counts() == {"outbox": 0, "punches": 0, "refused": 1}
    assert "666" in store.refused_rows()[0][1] and "calls.1.number" in store.refused_rows()[0][2]
    # Read again, the refused row is not queued again.
    assert agent.sync().queued == 0


def test_a_batch_too_large_is_halved_until_it_passes(fake, tmp_path):
    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, shift()), {}
        if path == "/calls/sync":
            if len(body["calls"]) > 2:
                return 413, {"detail": "too large"}, {}
            return 200, sync_answer(body), {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(i) for i in range(1, 6)])
    result = agent.sync()
    sizes = [len(b["calls"]) for m, p, b in fake.requests if p == "/calls/sync"]
    assert sizes == [5, 2, 3, 1, 2]
    assert result.stored == 5 and store.counts()["outbox"] == 0


def test_only_answered_calls_leave_the_outbox(fake, tmp_path):
    state = {"mode": "fail"}

    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, shift()), {}
        if path == "/calls/sync":
            if state["mode"] == "fail":
                return 500, {"detail": "boom"}, {}
            if state["mode"] == "miscount":
                return (
                    200,
                    {"received": 1, "stored": 1, "duplicates": 0, "outside_shift": 0, "rejected": []},
                    {},
                )
            future = [
                (i, "started_at: in the future (check the phone's clock)")
                for i, c in enumerate(body["calls"])
                if c["started_at"].startswith("2026-11-24T10:01")
            ]
            return 200, sync_answer(body, rejected=future), {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(1), row(2), row(3)], batch_size=2)
    result = agent.sync()
    assert "server unreachable" in result.error and store.counts()["outbox"] == 3
    # An answer that does not add up is not an answer for these calls.
    state["mode"] = "miscount"
    result = agent.sync()
    assert "does not follow the protocol" in result.error and store.counts()["outbox"] == 3
    # A row refused as "in the future" is the phone's clock running ahead: kept, offered again
    # after a while instead of lost.
    state["mode"] = "ok"
    result = agent.sync()
    assert (result.stored, result.held, store.counts()["outbox"], result.error) == (2, 1, 1, "")
    assert store.next_batch(10, now=time.time()) == []
    assert len(store.next_batch(10, now=time.time() + 301)) == 1


def test_answers_are_checked_against_the_protocol():
    check_answer(
        {
            "received": 2,
            "stored": 1,
            "duplicates": 0,
            "outside_shift": 0,
            "rejected": [{"index": 1, "error": "x"}],
        },
        2,
    )
    for bad in (
        None,
        {"received": 3, "stored": 3, "duplicates": 0, "outside_shift": 0, "rejected": []},
        {"received": 2, "stored": 2, "duplicates": 1, "outside_shift": 0, "rejected": []},
        {
            "received": 2,
            "stored": 1,
            "duplicates": 0,
            "outside_shift": 0,
            "rejected": [{"index": 5, "error": "x"}],
        },
        {"received": 2, "stored": "2", "duplicates": 0, "outside_shift": 0, "rejected": []},
    ):
        with pytest.raises(ProtocolError):
            check_answer(bad, 2)


def test_waiting_punches_go_first_and_hold_the_calls_back(fake, tmp_path):
    state = {"up": False}

    def handle(method, path, body):
        if not state["up"]:
            return 503, {}, {}
        if path == "/attendance/punch-in":
            return 201, {"id": 7, "started_at": body["at"], "ended_at": None}, {}
        if path.startswith("/attendance/shift"):
            return (
                200,
                shift_answer(path, {"id": 7, "started_at": "2026-11-24T10:00:00+00:00", "ended_at": None}),
                {},
            )
        if path == "/calls/sync":
            return 200, sync_answer(body), {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(1), row(2)])
    at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC).timestamp()
    message, status = agent.punch("in", at, None)
    assert status == 0 and "unreachable" in message
    result = agent.sync()
    # Offline: the calls are read and kept (the punch makes them part of a shift).
    assert result.queued == 2 and store.counts() == {"outbox": 2, "punches": 1, "refused": 0}
    state["up"] = True
    fake.requests.clear()
    result = agent.sync()
    paths = fake.paths()
    assert paths[0] == "POST /attendance/punch-in" and paths[2] == "POST /calls/sync"
    assert paths[1].startswith("GET /attendance/shifts?start=")
    assert fake.requests[0][2]["at"] == "2026-11-24T10:00:00+00:00"
    assert result.stored == 2 and store.counts() == {"outbox": 0, "punches": 0, "refused": 0}


def test_a_refused_punch_is_dropped_with_the_shift_it_opened(fake, tmp_path):
    fake.handle = lambda m, p, b: (422, {"detail": "at: is more than 24 hours in the past"}, {})
    agent, store = make_agent(tmp_path, fake, [])
    message, status = agent.punch("in", time.time() - 90000, None)
    assert status == 1 and "more than 24 hours" in message
    assert store.counts()["punches"] == 0 and store.shifts() == []


def test_a_number_excluded_after_queueing_is_never_sent(fake, tmp_path):
    def handle(method, path, body):
        if path == "/calls/sync":
            return (200, sync_answer(body), {}) if state["up"] else (503, {}, {})
        return 200, shift_answer(path, shift()) if path.startswith("/attendance/shift") else {}, {}

    state = {"up": False}
    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(1, "+91 98450 12345"), row(2, "080 2345 6789")])
    agent.sync()
    assert store.counts()["outbox"] == 2
    # As a person does it: the command, in its own process, writes config.json; the agent that
    # queued the call (and holds its own Config) must see it.
    done = run_agent(agent.config.home, "exclude", "add", "09845012345")
    assert done.returncode == 0, done.stderr
    state["up"] = True
    fake.requests.clear()
    result = agent.sync()
    sent = [c["number"] for m, p, b in fake.requests if p == "/calls/sync" for c in b["calls"]]
    assert sent == ["080 2345 6789"] and result.excluded == 1 and store.counts()["outbox"] == 0


def test_no_shift_known_means_the_call_log_is_not_even_read(fake, tmp_path):
    fake.handle = lambda m, p, b: (200, shift_answer(p) if p.startswith("/attendance/shift") else None, {})
    agent, store = make_agent(tmp_path, fake, [row(1)])
    agent.source.path = str(tmp_path / "does-not-exist.json")  # it would fail if it were read
    result = agent.sync()
    assert result.read is None and "no shift known" in result.line() and not result.source_error


# An older server says only "future" in English; ours says it in the caller's language with the
# refusal's code (issue 20 §3: a Hindi speaker's 422 says "… आगे का है"), which the agent reads.
TOO_FAR_AHEAD = [
    {"detail": "at: is more than 5 minutes in the future"},
    {
        "detail": "5 minutes से ज़्यादा आगे का है",
        "errors": [{"field": "at", "message": "5 minutes से ज़्यादा आगे का है", "code": "in_the_future"}],
    },
]


@pytest.mark.parametrize("refusal", TOO_FAR_AHEAD, ids=["english-without-code", "hindi-with-code"])
def test_a_punch_refused_as_in_the_future_is_sent_again_in_the_servers_time(fake, tmp_path, refusal):
    fake.clock_shift = -600  # the phone runs ten minutes ahead of the server

    def handle(method, path, body):
        at = dt.datetime.fromisoformat(body["at"]).timestamp()
        if at > time.time() - 600 + 300:
            return 422, refusal, {}
        return 201, {"id": 3, "started_at": body["at"], "ended_at": None}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [])
    message, status = agent.punch("in", float(int(time.time())), None)
    assert status == 0, message
    sent = [dt.datetime.fromisoformat(b["at"]).timestamp() for m, p, b in fake.requests]
    assert len(sent) == 2 and abs(sent[1] - (sent[0] - 600)) <= 2
    assert store.shifts() == [(sent[1], None)]


# The same for a call-log row the sync refuses: an older server's English without a code, ours in
# the person's language with the row's code (a Hindi speaker's says "… आगे के समय का है …").
ROW_TOO_FAR_AHEAD = [
    {"error": "started_at: in the future (check the phone's clock)"},
    {"error": "started_at: आगे के समय का है (फ़ोन की घड़ी देखें)", "code": "in_the_future", "field": "started_at"},
]


@pytest.mark.parametrize("ahead", ROW_TOO_FAR_AHEAD, ids=["english-without-code", "hindi-with-code"])
def test_a_row_refused_as_in_the_future_is_held_and_another_refusal_is_final(fake, tmp_path, ahead):
    # A code other than in_the_future is final whatever its words say (here they name "future").
    other = {"error": "started_at: not a future-proof time", "code": "not_a_time", "field": "started_at"}

    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, shift()), {}
        if path == "/calls/sync":
            answer = sync_answer(body, rejected=[(0, ""), (1, "")])
            answer["rejected"] = [{"index": 0, **ahead}, {"index": 1, **other}]
            return 200, answer, {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(1), row(2), row(3)])
    result = agent.sync()
    assert (result.stored, result.held, result.refused, result.error) == (1, 1, 1, "")
    assert store.counts() == {"outbox": 1, "punches": 0, "refused": 1}
    assert [error for _id, _body, error in store.refused_rows()] == ["started_at: not a future-proof time"]


def test_one_agent_home_reads_one_phone_over_adb(fake, tmp_path, monkeypatch):
    from leadtracker_agent import readers

    fake.handle = lambda m, p, b: (
        (200, shift_answer(p, shift()), {}) if p.startswith("/attendance/shift") else (200, {}, {})
    )
    agent, store = make_agent(tmp_path, fake, [])
    agent.source = Source("adb")
    serial = {"now": "PHONE-A"}
    monkeypatch.setattr(readers, "adb_serial", lambda timeout: serial["now"])
    monkeypatch.setattr(Source, "rows", lambda self, *a, **k: iter([]))
    assert agent.sync().source_error == ""
    serial["now"] = "PHONE-B"
    result = agent.sync()
    assert "the attached phone is PHONE-B, but this agent home syncs phone PHONE-A" in result.source_error


# --- the exclusion list while watch runs (finding: it was read once, at start) ---------------------


def test_watch_honours_a_number_excluded_while_it_runs(fake, tmp_path):
    import signal
    import subprocess

    now = int(time.time())
    open_shift = {"id": 7, "started_at": iso(now - 3600), "ended_at": None}
    received: list[str] = []
    # The first round is held at its last request (the device state) while the exclusion and the
    # new calls are written, so the next round starts after both. A round that began before the
    # exclusion and read the call log after it would keep the call on the phone too, but count it
    # as dropped from the outbox instead of excluded when read; on a busy machine rounds run back
    # to back, so only holding one guarantees a boundary.
    held, go_on = threading.Event(), threading.Event()

    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, open_shift), {}
        if path == "/calls/sync":
            received.extend(c["number"] for c in body["calls"])
            return 200, sync_answer(body), {}
        if path == "/devices/state" and not go_on.is_set():
            held.set()
            go_on.wait(60)
        return 200, {}, {}

    fake.handle = handle
    home = tmp_path / "home"
    config = Config(home)
    config.data.update(server=fake.url, token="tok")
    config.save()
    log_path = tmp_path / "log.json"
    write_json_atomic(log_path, [])
    fake_bin = write_fake_tools(tmp_path / "bin")
    watch = subprocess.Popen(
        agent_cmd("watch", "--interval", "0.2", "--source", "termux", "--tz", "Asia/Kolkata"),
        env=agent_env(home, fake_bin=fake_bin, FAKE_CALL_LOG=str(log_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(held.is_set, "the end of watch's first round")
        # Excluded by another process while watch runs; the next call to that number appears after.
        try:
            done = run_agent(home, "exclude", "add", "+91 98450 12345")
            assert done.returncode == 0, done.stderr
            calls = [
                {"epoch": now - 120, "number": "09845012345", "row_id": 1},
                {"epoch": now - 60, "number": "+919811100001", "row_id": 2},
            ]
            write_json_atomic(
                log_path,
                [{**c, "ms": 0, "type": "outgoing", "duration": 20, "name": None, "sim": "1"} for c in calls],
            )
        finally:
            go_on.set()
        wait_until(lambda: "+919811100001" in received, "the other call reaching the server")
        watch.send_signal(signal.SIGTERM)
        out, err = watch.communicate(timeout=60)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert watch.returncode == 0, err
    assert received == ["+919811100001"], out  # the personal number never left the phone
    assert "(1 excluded)" in out


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


def row_at(epoch: int, number: str = "9876543210") -> dict:
    """A termux-call-log row at ``epoch`` (the agent in these tests reads in UTC)."""
    return {
        "name": None,
        "phone_number": number,
        "type": "OUTGOING",
        "date": dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "duration": "00:30",
        "sim_id": "1",
    }


# --- the shifts are the server's (finding: only the open shift was asked for) -------------------


def test_a_shift_closed_at_day_end_bounds_the_calls_queued_and_read_after(fake, tmp_path):
    now = int(time.time())
    start, auto_end = now - 3 * 3600, now - 2 * 3600
    server = {"up": True, "shift": {"id": 7, "started_at": iso(start), "ended_at": None}}
    sent: list[str] = []

    def handle(method, path, body):
        if not server["up"]:
            return 503, {}, {}
        if path == "/attendance/punch-in":
            return 201, server["shift"], {}
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, server["shift"]), {}
        if path == "/calls/sync":
            sent.extend(c["number"] for c in body["calls"])
            return 200, sync_answer(body), {}
        return 200, {}, {}

    fake.handle = handle
    log = [row_at(now - 9000, "+919800000001"), row_at(now - 3600, "+919800000002")]
    agent, store = make_agent(tmp_path, fake, log)
    assert agent.punch("in", start, None)[1] == 0
    # Offline: the phone knows its shift as open, so both calls are queued.
    server["up"] = False
    assert agent.sync().queued == 2
    # Meanwhile the server closed the shift at the day's end (or the person punched out on the
    # web) — before the second call.
    server.update(up=True, shift={**server["shift"], "ended_at": iso(auto_end), "closed_automatically": True})
    result = agent.sync()
    assert sent == ["+919800000001"], result.line()  # the call after the close never left the phone
    assert result.dropped == 1 and store.counts()["outbox"] == 0
    assert store.shifts() == [(start, auto_end)]
    # Offline again, the phone keeps what it learned: a new call after the close is not queued.
    server["up"] = False
    path = tmp_path / "log.json"
    path.write_text(json.dumps([*log, row_at(now - 60, "+919800000003")]))
    result = agent.sync()
    assert (result.queued, result.outside_shift, store.counts()["outbox"]) == (0, 2, 0)


def test_a_shift_punched_in_and_out_on_the_web_is_learned(fake, tmp_path):
    now = int(time.time())
    web = {"id": 9, "started_at": iso(now - 5 * 3600), "ended_at": iso(now - 4 * 3600)}
    sent: list[str] = []

    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, web), {}
        if path == "/calls/sync":
            sent.extend(c["number"] for c in body["calls"])
            return 200, sync_answer(body), {}
        return 200, {}, {}

    fake.handle = handle
    log = [row_at(now - 16200, "+919800000001"), row_at(now - 12600, "+919800000002")]
    agent, store = make_agent(tmp_path, fake, log)
    result = agent.sync()
    assert sent == ["+919800000001"], result.line()
    assert (result.queued, result.outside_shift) == (1, 1)
    query = next(p for p in fake.paths() if p.startswith("GET /attendance/shifts?"))
    assert "start=" in query and "end=" in query


def test_punches_waiting_are_applied_over_the_servers_shifts(tmp_path):
    store = Store(str(tmp_path / "state.sqlite3"))
    t0 = 1_795_000_000
    with store.tx():
        store.replace_server_shifts(
            t0 - 86400, t0 + 600, [{"id": 1, "started_at": iso(t0), "ended_at": None}]
        )
    assert store.shifts() == [(t0, None)]
    store.add_punch("out", t0 + 3600, None)
    store.add_punch("in", t0 + 7200, None)
    assert store.shifts() == [(t0, t0 + 3600), (t0 + 7200, None)]
    assert store.open_shift() == t0 + 7200
    # The server no longer lists shift 1 (a manager deleted it): the phone forgets it; its
    # punches still count as the server will count them (a punch-out with nothing open: none).
    with store.tx():
        store.replace_server_shifts(t0 - 86400, t0 + 600, [])
    assert store.shifts() == [(t0 + 7200, None)]
    # A punch the server refused for good takes its shift with it.
    punch_in = store.pending_punches()[1][0]
    store.punch_refused(punch_in)
    assert store.shifts() == [] and store.open_shift() is None
    # A shift closed the second it opened, and a punch-in at that second: two shifts, one start.
    with store.tx():
        store.replace_server_shifts(
            t0 - 86400, t0 + 600, [{"id": 2, "started_at": iso(t0), "ended_at": iso(t0)}]
        )
    store.add_punch("in", t0, None)
    assert sorted(store.shifts(), key=str) == [(t0, t0), (t0, None)]


# --- refusals of a whole request (finding: one 4xx threw the outbox away) --------------------------


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (422, {"detail": "body: send JSON", "errors": [{"field": "body", "message": "send JSON"}]}),
        (422, {"detail": "calls.9.sim: too long", "errors": [{"field": "calls.9.sim", "message": "x"}]}),
        (400, {"detail": "bad request", "errors": []}),
        (403, {"detail": "the call-log permission was reported revoked", "errors": []}),
    ],
)
def test_a_refusal_that_names_no_call_keeps_the_whole_outbox(fake, tmp_path, status, answer):
    state = {"refuse": True}

    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, shift()), {}
        if path == "/calls/sync":
            return (status, answer, {}) if state["refuse"] else (200, sync_answer(body), {})
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(i) for i in range(1, 6)], batch_size=2)
    result = agent.sync()
    # Stopped at the first refusal: never halved down to single calls, nothing set aside.
    assert [p for p in fake.paths() if p == "POST /calls/sync"] == ["POST /calls/sync"]
    assert store.counts() == {"outbox": 5, "punches": 0, "refused": 0}
    assert result.refused == 0 and "STOPPED" in result.line() and _status_of(result) == 1
    state["refuse"] = False
    result = agent.sync()
    assert result.stored == 5 and store.counts()["outbox"] == 0 and _status_of(result) == 0


def test_a_413_for_a_single_call_stops_the_round_and_keeps_the_outbox(fake, tmp_path):
    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, shift()), {}
        if path == "/calls/sync":
            return 413, {"detail": "too large"}, {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row(1), row(2), row(3)])
    result = agent.sync()
    sizes = [len(b["calls"]) for m, p, b in fake.requests if p == "/calls/sync"]
    assert sizes == [3, 1]  # halved once; a single call "too large" is the server's problem
    assert store.counts() == {"outbox": 3, "punches": 0, "refused": 0}
    assert "413" in result.error and _status_of(result) == 1


def test_refused_calls_are_counted_in_the_summary_and_the_exit_status(fake, tmp_path):
    def handle(method, path, body):
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, shift()), {}
        if path == "/calls/sync":
            named = [f"calls.{i}.sms_body" for i, c in enumerate(body["calls"]) if c["number"] == "666"]
            if named:
                errors = [{"field": f, "message": "unknown field; it is not accepted"} for f in named]
                return 422, {"detail": "; ".join(named), "errors": errors}, {}
            rejected = [
                (i, "duration_s: negative") for i, c in enumerate(body["calls"]) if c["number"] == "777"
            ]
            return 200, sync_answer(body, rejected=rejected), {}
        return 200, {}, {}

    fake.handle = handle
    log = [row(1), row(2, "666"), row(3, "777"), row(4, "666"), row(5)]
    agent, store = make_agent(tmp_path, fake, log)
    result = agent.sync()
    sent = [[c["number"] for c in b["calls"]] for m, p, b in fake.requests if p == "/calls/sync"]
    # Both calls the 422 names are set aside at once; the rest is sent again without them.
    assert sent[1] == ["9876543210", "777", "9876543210"]
    assert result.refused == 3 and store.counts()["refused"] == 3 and store.counts()["outbox"] == 0
    assert "3 refused" in result.line() and _status_of(result) == 1


# --- punches the server did not take (finding: any 4xx dropped them) -----------------------------


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (301, {"Location": "https://crm.example.in/api/v1/attendance/punch-in"}),
        (400, {}),
        (404, {}),
        (408, {}),
        (429, {"Retry-After": "1"}),
    ],
)
def test_a_punch_the_server_did_not_take_is_kept_and_stops_the_round(fake, tmp_path, status, headers):
    now = int(time.time())
    state = {"answer": status}

    def handle(method, path, body):
        if path == "/attendance/punch-in":
            if state["answer"] != 201:
                return state["answer"], {"detail": "not now"}, headers
            return 201, {"id": 3, "started_at": body["at"], "ended_at": None}, {}
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path, {"id": 3, "started_at": iso(now - 600), "ended_at": None}), {}
        if path == "/calls/sync":
            return 200, sync_answer(body), {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [row_at(now - 300)])
    message, code = agent.punch("in", now - 600, None)
    assert code == 1 and "kept" in message, message
    assert store.counts()["punches"] == 1 and store.shifts() == [(now - 600, None)]
    fake.requests.clear()
    result = agent.sync()
    # The call log is still read (the phone's punch makes the call part of a shift); the round
    # asks nothing more of a server that did not take the punch.
    expected = [] if status == 429 else ["POST /attendance/punch-in"]  # 429: Retry-After honoured
    assert fake.paths() == expected, result.line()
    assert result.queued == 1 and store.counts()["punches"] == 1 and _status_of(result) == 1
    state["answer"] = 201
    if status == 429:
        wait_until(lambda: time.time() >= store.get("server_wait_until"), "the Retry-After to pass")
    result = agent.sync()
    assert result.punches_sent == 1 and result.stored == 1, result.line()
    assert store.counts() == {"outbox": 0, "punches": 0, "refused": 0}


def test_a_punch_refused_for_good_is_dropped_and_fails_the_sync(fake, tmp_path):
    state = {"up": False}

    def handle(method, path, body):
        if not state["up"]:
            return 503, {}, {}
        if path == "/attendance/punch-out":
            return 409, {"detail": "you are not punched in"}, {}
        if path.startswith("/attendance/shift"):
            return 200, shift_answer(path), {}
        return 200, {}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [])
    assert agent.punch("out", time.time() - 60, None)[1] == 0  # offline: kept
    state["up"] = True
    result = agent.sync()
    assert len(result.punches_refused) == 1 and "not punched in" in result.punches_refused[0]
    assert store.counts()["punches"] == 0
    assert "1 refused" in result.line() and _status_of(result) == 1
