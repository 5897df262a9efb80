"""Test support: a real LeadTracker server process, the agent as a process, fake
termux-call-log and adb tools, and a fault-injecting HTTP proxy — standard library only."""

from __future__ import annotations

import collections
import datetime as dt
import http.client
import json
import os
import random
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

AGENT_DIR = Path(__file__).resolve().parents[1]
REPO = AGENT_DIR.parent
FIXTURES = AGENT_DIR / "tests" / "fixtures"
# The shared originals the copies in tests/fixtures came from (present in the workspace).
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures" / "call-logs"
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def server_bin_dir() -> Path:
    """Where the server's `leadtracker` and `gunicorn` commands are: $LEADTRACKER_BIN_DIR, the
    running interpreter's venv, or the repository's .venv."""
    if os.environ.get("LEADTRACKER_BIN_DIR"):
        return Path(os.environ["LEADTRACKER_BIN_DIR"])
    here = Path(sys.executable).parent
    if (here / "leadtracker").exists():
        return here
    return REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the server --------------------------------------------------------------------------------


# One `leadtracker shell` process makes what a test needs — the organisations, a person's token,
# pairing codes — by the management commands themselves (call_command): each `leadtracker`
# process costs Django's start, 1-1.5 s of CPU. The owner gets no password: no test signs in,
# and hashing one (Argon2) cost 0.4 s of CPU an organisation.
PEOPLE = """
import io, json
from django.core.management import call_command

def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()

made = []
for slug, email, new, token, codes in {plan!r}:
    if new:
        run("create_org", "--name", slug.title(), "--slug", slug, "--owner-email", email)
    made.append([
        run("create_token", "--org", slug, "--email", email, "--name", "agent tests").strip().splitlines()[-1]
        if token else None,
        [run("pairing_code", "--org", slug, "--email", email).split()[-1] for _ in range(codes)],
    ])
print("MADE " + json.dumps(made))
"""


class Server:
    """gunicorn serving the real application on SQLite, one per test session (per pytest
    worker under xdist)."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.db_path = workdir / "server.sqlite3"
        self.bin = server_bin_dir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{self.db_path}",
            SECRET_KEY="agent-tests-only-secret-key-0123456789-abcdefghijklmnop",
            DEBUG="True",
            # The install script and the pairing links name the server by SITE_URL.
            SITE_URL=self.url,
            # The fault test sends thousands of requests in a minute from one address, and each
            # phone syncs far more than 30 times a minute (the per-device limit, whose 429 the
            # agent's own tests cover in test_sync_rules.py): on a slow machine the clean sync at
            # the end met that limit and stopped.
            API_RATE_AUTHENTICATED="1000000/m",
            API_RATE_ANONYMOUS="1000000/m",
            SYNC_RATE_PER_DEVICE="1000000/m",
            API_AUTH_FAILURES_PER_ADDRESS="1000000",
            PYTHONUNBUFFERED="1",
        )
        # The real settings and a push service on loopback allowed (tests/server_settings.py).
        self.env["DJANGO_SETTINGS_MODULE"] = "server_settings"
        path = [str(AGENT_DIR / "tests")]
        # Another tree of the server's code to run instead of the installed one (e.g. a
        # `git archive HEAD` snapshot while the working tree is being edited).
        if os.environ.get("LEADTRACKER_SERVER_SRC"):
            path.insert(0, os.environ["LEADTRACKER_SERVER_SRC"])
        if os.environ.get("PYTHONPATH"):
            path.append(os.environ["PYTHONPATH"])
        self.env["PYTHONPATH"] = os.pathsep.join(path)
        self.proc: subprocess.Popen | None = None
        self._orgs: set[str] = set()
        self._lock = threading.Lock()

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.bin / "leadtracker"), *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"leadtracker {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self) -> None:
        if not (self.bin / "leadtracker").exists():
            raise RuntimeError(
                f"the server's `leadtracker` command is not in {self.bin}: install the server "
                "(pip install -e .) or set LEADTRACKER_BIN_DIR"
            )
        self.copy_migrated_template()
        self.log = open(self.workdir / "gunicorn.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(self.bin / "gunicorn"),
                "leadtracker.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "3",
                "--timeout",
                "60",
                "--graceful-timeout",
                "2",
                # The application loaded once and forked, not once in each worker (a Django start
                # each); it opens no database connection and starts no thread as it loads.
                "--preload",
            ],
            env=self.env,
            cwd=self.workdir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited: " + (self.workdir / "gunicorn.log").read_text()[-2000:])
            try:
                if self.api("GET", "/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not answer /api/v1/health within 60 s")

    def copy_migrated_template(self) -> None:
        """The database is a copy of the server suite's migrated template (leadtracker/
        test_database.py, keyed by the migrations' text; the first process to need it migrates
        it), not migrated here: that was 9 s of CPU a server. In a process of the server's
        Python, with its PYTHONPATH: the server's code is not this package's to import."""
        done = subprocess.run(
            [
                str(self.bin / "python"),
                "-c",
                "import sys, leadtracker.test_database as t; t.copy_sqlite_to(sys.argv[1])",
                str(self.db_path),
            ],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=600,  # migrating the template, when this run is the first to need it
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"copying the migrated template failed:\n{done.stdout}\n{done.stderr}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc:
            self.log.close()

    def people(
        self, *slugs: str, token: bool = True, codes: int = 1, then: str = ""
    ) -> list[tuple[str | None, list[str]]]:
        """For each slug, in one process: its organisation, owned by owner@<slug>.test (created
        the first time), and that owner's personal API token (``token``) and ``codes`` pairing
        codes for a phone (each valid 15 minutes, used once); then the code ``then``, if any,
        in the same process."""
        with self._lock:
            new = [slug for slug in slugs if slug not in self._orgs]
            self._orgs.update(new)
        plan = [(slug, f"owner@{slug}.test", slug in new, token, codes) for slug in slugs]
        try:
            out = self.manage("shell", "-c", PEOPLE.format(plan=plan) + then)
        except BaseException:
            with self._lock:
                self._orgs.difference_update(new)
            raise
        made = json.loads(out.split("MADE ", 1)[1])
        return [(made_token, made_codes) for made_token, made_codes in made]

    def person(self, slug: str, *, then: str = "") -> tuple[str, str]:
        """The owner of <slug>'s personal API token (the person on the web) and a pairing code
        for their phone, made in one process (``then``: more code to run in it)."""
        [(token, [code])] = self.people(slug, then=then)
        return token, code

    def org(self, slug: str) -> str:
        """An organisation (created once) owned by owner@<slug>.test; returns that e-mail."""
        with self._lock:
            known = slug in self._orgs
        if not known:
            self.people(slug, token=False, codes=0)
        return f"owner@{slug}.test"

    def build_wheel(self) -> None:
        """The agent's wheel where the server serves it from (make install's agent-wheel)."""
        done = subprocess.run(
            [str(self.bin / "python"), "-m", "leadtracker.calls.phone_setup.wheel"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"building the agent's wheel failed:\n{done.stderr}")

    def worker(self, log: Path, interval: float = 0.2) -> subprocess.Popen:
        """The server's worker (queued tasks: the pushes), looking for work every `interval` s."""
        with open(log, "wb") as out:
            return subprocess.Popen(
                [str(self.bin / "leadtracker"), "worker", "--interval", str(interval)],
                env=self.env,
                cwd=self.workdir,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def pairing_code(self, slug: str) -> str:
        [(_, [code])] = self.people(slug, token=False)
        return code

    def personal_token(self, slug: str) -> str:
        [(token, _)] = self.people(slug, codes=0)
        return token

    def api(self, method: str, path: str, token: str | None = None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept": "application/json"}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, f"/api/v1{path}", body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        return response.status, (json.loads(raw) if raw.strip() else None)

    def query(self, sql: str, params=()) -> list[tuple]:
        db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def calls_of(self, slug: str) -> list[tuple]:
        """(number, started_at UTC "YYYY-MM-DD HH:MM:SS", type, duration_s) of every stored call."""
        return self.query(
            "SELECT c.number, c.started_at, c.type, c.duration_s FROM calls_call c "
            "JOIN accounts_organisation o ON o.id = c.organisation_id WHERE o.slug = ? ORDER BY c.started_at",
            (slug,),
        )


# --- the agent as a process --------------------------------------------------------------------


def agent_env(home: Path, *, fake_bin: Path | None = None, **extra: str) -> dict:
    env = dict(os.environ)
    env["LEADTRACKER_AGENT_HOME"] = str(home)
    env["PYTHONPATH"] = str(AGENT_DIR) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if fake_bin:
        env["PATH"] = str(fake_bin) + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def agent_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "leadtracker_agent", *args]


def run_agent(home: Path, *args: str, fake_bin: Path | None = None, timeout: float = 60, **extra):
    return subprocess.run(
        agent_cmd(*args),
        env=agent_env(home, fake_bin=fake_bin, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def on_shift(home: Path, pair_url: str) -> int:
    """A phone paired through ``pair_url`` and punched in 15 minutes ago; the moment its first
    call started (epoch seconds), 5 minutes ago: on shift, and within the sync's window."""
    assert run_agent(home, "pair", pair_url).returncode == 0
    started = int(time.time()) - 300
    punched = dt.datetime.fromtimestamp(started - 600, dt.UTC).isoformat(timespec="seconds")
    assert run_agent(home, "punch-in", "--at", punched).returncode == 0
    return started


def wait_until(condition, what: str, timeout: float = 60) -> None:
    """Wait until ``condition()`` holds, looking every 50 ms, and fail naming ``what`` after
    ``timeout`` seconds. On a loaded machine (two cores shared by several test runs) a watch
    round or a server answer can take seconds, so a test waits for what it needs to see, never
    for a fixed time; the deadline is only there so a real failure ends."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:g} s for {what}"
        time.sleep(0.05)


# --- a phone's call log, and fake tools that print it ------------------------------------------

TERMUX_NAMES = {
    "incoming": "INCOMING",
    "outgoing": "OUTGOING",
    "missed": "MISSED",
    "voicemail": "VOICEMAIL",
    "rejected": "REJECTED",
    "blocked": "BLOCKED",
    "answered_externally": "UNKNOWN_TYPE",
}
ANDROID_CODES = {
    "incoming": 1,
    "outgoing": 2,
    "missed": 3,
    "voicemail": 4,
    "rejected": 5,
    "blocked": 6,
    "answered_externally": 7,
}

FAKE_TOOL = r"""#!{python} -IS
# A stand-in for {name}: prints the call log in $FAKE_CALL_LOG (JSON) as the real tool does, and
# appends its arguments (a JSON line) to $FAKE_ARGS_RECORD where that is set.
import datetime as dt, json, os, random, re, sys, time
if os.environ.get("FAKE_ARGS_RECORD"):
    with open(os.environ["FAKE_ARGS_RECORD"], "a") as fh:
        fh.write(json.dumps(sys.argv[1:]) + "\n")
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
TERMUX = {termux}
CODES = {codes}
delay = float(os.environ.get("FAKE_DELAY_S", "0"))
if delay:
    time.sleep(random.uniform(0, delay))
with open(os.environ["FAKE_CALL_LOG"]) as fh:
    log = json.load(fh)
args = sys.argv[1:]

def mmss(s):
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return (f"{{h:02d}}:" if h else "") + f"{{m:02d}}:{{sec:02d}}"

if "{name}" == "termux-call-log":
    limit = int(args[args.index("-l") + 1]) if "-l" in args else 10
    offset = int(args[args.index("-o") + 1]) if "-o" in args else 0
    page = sorted(log, key=lambda c: -c["epoch"])[offset:offset + limit][::-1]
    out = [{{"name": c["name"] or "UNKNOWN_CALLER", "phone_number": c["number"], "type": TERMUX[c["type"]],
            "date": dt.datetime.fromtimestamp(c["epoch"], IST).strftime("%Y-%m-%d %H:%M:%S"),
            "duration": mmss(c["duration"]), "sim_id": c["sim"]}} for c in page]
    print(json.dumps(out, indent=2))
elif args[:1] == ["get-state"]:
    print("device")
elif args[:1] == ["get-serialno"]:
    print(os.environ.get("FAKE_SERIAL", "FAKE0001"))
else:
    remote = " ".join(args[1:])
    since = int(re.search(r"date>=(\d+)", remote).group(1)) if "date>=" in remote else 0
    rows = [c for c in sorted(log, key=lambda c: c["epoch"]) if c["epoch"] * 1000 + c["ms"] >= since]
    if not rows:
        print("No result found.")
    for i, c in enumerate(rows):
        withheld = c["number"] == ""
        print(f"Row: {{i}} _id={{c['row_id']}}, number={{c['number']}}, "
              f"date={{c['epoch'] * 1000 + c['ms']}}, duration={{c['duration']}}, "
              f"type={{CODES[c['type']]}}, presentation={{2 if withheld else 1}}, "
              f"subscription_id={{c['sim'] or 'NULL'}}, countryiso=IN, name={{c['name'] or 'NULL'}}")
"""


def write_fake_tools(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("termux-call-log", "adb"):
        path = directory / name
        path.write_text(
            FAKE_TOOL.format(
                python=sys.executable, name=name, termux=repr(TERMUX_NAMES), codes=repr(ANDROID_CODES)
            )
        )
        path.chmod(0o755)
    return directory


def write_json_atomic(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


class PhoneLog:
    """A growing call log of made-up calls, each unique by (number, second, type)."""

    def __init__(self, rng: random.Random, path: Path, *, personal: list[str]):
        self.rng = rng
        self.path = path
        self.personal = personal  # canonical E.164 of excluded numbers
        self.calls: list[dict] = []
        self._seconds: set[int] = set()
        self._row_id = 5000

    def add(self, lo: int, hi: int, *, count: int) -> list[dict]:
        added = []
        for _ in range(count):
            epoch = self.rng.randint(lo, hi)
            while epoch in self._seconds:
                epoch = self.rng.randint(lo, hi)
            self._seconds.add(epoch)
            roll = self.rng.random()
            if roll < 0.06:
                e164 = ""
            elif roll < 0.16:
                e164 = self.rng.choice(self.personal)
            else:
                e164 = f"+91{self.rng.choice('6789')}{self.rng.randint(0, 10**9 - 1):09d}"
            national = e164[3:]
            shown = (
                ""
                if not e164
                else self.rng.choice([e164, "0" + national, national, f"+91 {national[:5]} {national[5:]}"])
            )
            self._row_id += 1
            call = {
                "epoch": epoch,
                "ms": self.rng.randint(0, 999),
                "number": shown,
                "e164": e164,
                "type": self.rng.choice(list(TERMUX_NAMES)),
                "duration": self.rng.choice([0, 0, self.rng.randint(1, 900), self.rng.randint(3600, 4000)]),
                "name": self.rng.choice([None, None, "Raj Sharma", "Priya, Nair", "Anil Builders & Sons"]),
                "sim": self.rng.choice(["1", "2", None]),
                "row_id": self._row_id,
            }
            self.calls.append(call)
            added.append(call)
        write_json_atomic(self.path, self.calls)
        return added


# --- the fault-injecting proxy -----------------------------------------------------------------


class FaultProxy:
    """Sits between agent and server. For each request ``policy(method, path, body)`` picks:

    pass         forward, relay the answer
    error        answer 500 without forwarding
    error-after  forward (the server stores), then answer 500
    stall        hold the connection past the agent's timeout, forward nothing
    stall-after  forward, then hold the answer past the agent's timeout
    reset        close the connection at once (RST)
    kill         kill the agent (``on_kill``) with its request in flight; forward it or not
    kill-after   forward (the server stores), kill the agent, never answer
    """

    def __init__(self, upstream_port: int, *, stall_s: float = 1.0, rng: random.Random | None = None):
        self.upstream_port = upstream_port
        self.stall_s = stall_s
        self.rng = rng or random.Random(0)
        self.policy = lambda method, path, body: "pass"
        self.on_kill = lambda: None
        self.counts: collections.Counter = collections.Counter()
        self.sync_bodies: list[bytes] = []
        self.server_said: collections.Counter = collections.Counter()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _serve(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            request = _read_request(conn)
            if request is None:
                return
            method, path, headers, body = request
            with self._lock:
                action = self.policy(method, path, body)
                self.counts[action] += 1
                if path.endswith("/calls/sync"):
                    self.sync_bodies.append(body)
            if action == "pass":
                _send(conn, self._forward(request))
            elif action == "error":
                _send(conn, (500, [("Content-Type", "application/json")], b'{"detail": "injected fault"}'))
            elif action == "error-after":
                self._forward(request)
                _send(conn, (500, [("Content-Type", "application/json")], b'{"detail": "injected fault"}'))
            elif action == "stall":
                time.sleep(self.stall_s)
            elif action == "stall-after":
                self._forward(request)
                time.sleep(self.stall_s)
            elif action == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif action == "kill":
                self.on_kill()
                if self.rng.random() < 0.5:
                    self._forward(request)
            elif action == "kill-after":
                self._forward(request)
                self.on_kill()
        except OSError:
            pass
        finally:
            conn.close()

    def _forward(self, request):
        method, path, headers, body = request
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        try:
            keep = {k: v for k, v in headers if k.lower() not in ("connection", "content-length", "host")}
            keep["Host"] = f"127.0.0.1:{self.upstream_port}"
            upstream.request(method, path, body=body or None, headers=keep)
            response = upstream.getresponse()
            data = response.read()
            reply = (response.status, response.getheaders(), data)
        finally:
            upstream.close()
        if path.endswith("/calls/sync") and reply[0] == 200:
            answer = json.loads(data)
            with self._lock:
                for key in ("stored", "duplicates", "outside_shift"):
                    self.server_said[key] += answer[key]
        return reply


def _read_request(conn: socket.socket):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line]
    length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return method, path, headers, body


def _send(conn: socket.socket, reply) -> None:
    status, headers, body = reply
    lines = [f"HTTP/1.1 {status} {http.client.responses.get(status, 'Status')}"]
    for key, value in headers:
        if key.lower() not in ("connection", "content-length", "transfer-encoding"):
            lines.append(f"{key}: {value}")
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    conn.sendall("\r\n".join(lines).encode("latin-1") + body)
