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
from leadtracker_agent.client import AuthError, Client, HttpError, NetworkError
from leadtracker_agent.config import Config
from leadtracker_agent.store import Store


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

    def handle(m, p, b):
        calls["n"] += 1
        if calls["n"] == 1:
            time.sleep(0.6)
        if calls["n"] == 2:
            return 200, b'{"received": 5, "sto', {}
        return 200, {"ok": True}, {}

    fake.handle = handle
    sleeps = Sleeps()
    assert Client(fake.url, timeout=0.2, retries=3, sleep=sleeps).call("GET", "/x") == (200, {"ok": True})
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
        if path == "/attendance/shift":
            return 200, shift(), {}
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
        if path == "/attendance/shift":
            return 200, shift(), {}
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
        if path == "/attendance/shift":
            return 200, shift(), {}
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
        if path == "/attendance/shift":
            return 200, {"id": 7, "started_at": "2026-11-24T10:00:00+00:00", "ended_at": None}, {}
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
    assert fake.paths()[:3] == ["POST /attendance/punch-in", "GET /attendance/shift", "POST /calls/sync"]
    assert fake.requests[0][2]["at"] == "2026-11-24T10:00:00+00:00"
    assert result.stored == 2 and store.counts() == {"outbox": 0, "punches": 0, "refused": 0}


def test_a_refused_punch_is_dropped_with_the_shift_it_opened(fake, tmp_path):
    fake.handle = lambda m, p, b: (422, {"detail": "at: is more than 24 hours in the past"}, {})
    agent, store = make_agent(tmp_path, fake, [])
    message, status = agent.punch("in", time.time() - 90000, None)
    assert status == 1 and "more than 24 hours" in message
    assert store.counts()["punches"] == 0 and store.shifts() == []


def test_a_number_excluded_after_queueing_is_never_sent(fake, tmp_path):
    fake.handle = lambda m, p, b: (503, {}, {}) if p == "/calls/sync" else (200, shift(), {})
    agent, store = make_agent(tmp_path, fake, [row(1, "+91 98450 12345"), row(2, "080 2345 6789")])
    agent.sync()
    assert store.counts()["outbox"] == 2
    agent.config.data["exclude"] = ["09845012345"]
    fake.handle = lambda m, p, b: (200, sync_answer(b), {}) if p == "/calls/sync" else (200, shift(), {})
    fake.requests.clear()
    result = agent.sync()
    sent = [c["number"] for m, p, b in fake.requests if p == "/calls/sync" for c in b["calls"]]
    assert sent == ["080 2345 6789"] and result.excluded == 1 and store.counts()["outbox"] == 0


def test_no_shift_known_means_the_call_log_is_not_even_read(fake, tmp_path):
    fake.handle = lambda m, p, b: (200, None, {})
    agent, store = make_agent(tmp_path, fake, [row(1)])
    agent.source.path = str(tmp_path / "does-not-exist.json")  # it would fail if it were read
    result = agent.sync()
    assert result.read is None and "no shift known" in result.line() and not result.source_error


def test_a_punch_refused_as_in_the_future_is_sent_again_in_the_servers_time(fake, tmp_path):
    fake.clock_shift = -600  # the phone runs ten minutes ahead of the server

    def handle(method, path, body):
        at = dt.datetime.fromisoformat(body["at"]).timestamp()
        if at > time.time() - 600 + 300:
            return 422, {"detail": "at: is more than 5 minutes in the future"}, {}
        return 201, {"id": 3, "started_at": body["at"], "ended_at": None}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [])
    message, status = agent.punch("in", float(int(time.time())), None)
    assert status == 0, message
    sent = [dt.datetime.fromisoformat(b["at"]).timestamp() for m, p, b in fake.requests]
    assert len(sent) == 2 and abs(sent[1] - (sent[0] - 600)) <= 2
    assert store.shifts() == [(sent[1], None)]


def test_one_agent_home_reads_one_phone_over_adb(fake, tmp_path, monkeypatch):
    from leadtracker_agent import readers

    fake.handle = lambda m, p, b: (200, shift(), {}) if p == "/attendance/shift" else (200, {}, {})
    agent, store = make_agent(tmp_path, fake, [])
    agent.source = Source("adb")
    serial = {"now": "PHONE-A"}
    monkeypatch.setattr(readers, "adb_serial", lambda timeout: serial["now"])
    monkeypatch.setattr(Source, "rows", lambda self, *a, **k: iter([]))
    assert agent.sync().source_error == ""
    serial["now"] = "PHONE-B"
    result = agent.sync()
    assert "the attached phone is PHONE-B, but this agent home syncs phone PHONE-A" in result.source_error
