"""No loss, no doubles under faults (issue 5, acceptance).

Two phones (one read through a fake termux-call-log with paging, one through a fake adb) sync
to the real server through a proxy that answers 500s, stalls, resets connections and kills the
agent. Each of at least 200 randomised runs lets the phone's call log grow a little, then runs
`leadtracker-agent sync` and SIGKILLs it at a random point: at a random time, while reading,
after queueing, while sending, with its request in flight, after the server stored a batch but
before the agent read the answer, or right after the answer. After a final clean sync the
server must hold every call made on shift exactly once — and no call from outside the shift
or to an excluded number may ever have been on the wire.

LEADTRACKER_FAULT_RUNS (default 200) and LEADTRACKER_FAULT_SEED change the size and the draw.
"""

import collections
import datetime as dt
import json
import os
import random
import signal
import subprocess
import threading
import time

from leadtracker_agent.privacy import number_key
from support import FaultProxy, PhoneLog, agent_cmd, agent_env, run_agent, write_fake_tools

from conftest import FIGURES

RUNS = int(os.environ.get("LEADTRACKER_FAULT_RUNS", "200"))
SEED = int(os.environ.get("LEADTRACKER_FAULT_SEED", str(int(time.time()))))
AGENT_TIMEOUT = 0.5  # the agent's HTTP timeout in the runs; a stall outlasts it
STALL = 0.7
FAULT_RATE = 0.2  # share of the other requests answered with a fault
# Where a run kills the agent: (name, weight). A marker is a line of `sync -v` on stderr.
POINTS = [
    ("none", 10),
    ("random time", 14),
    ("while reading", 14),
    ("after queueing", 14),
    ("while sending", 12),
    ("request in flight", 12),
    ("after the server stored", 14),
    ("after the answer", 10),
]
MARKERS = {
    "while reading": ("read: termux-call-log page", "read: adb content query"),
    "after queueing": ("read: done",),
    "while sending": ("send: batch of",),
    "after the answer": ("send: answered",),
}
PROXY_KILL = {"request in flight": "kill", "after the server stored": "kill-after"}
FAULTS = ("error", "error-after", "stall", "stall-after", "reset")


def utc(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


class Phone:
    def __init__(self, name: str, source: str, server, tmp, seed: int):
        self.name = name
        self.source = source
        self.server = server
        self.slug = f"fault-{name}"
        self.rng = random.Random(seed)
        self.home = tmp / name
        self.fake_bin = write_fake_tools(tmp / f"{name}-bin")
        self.log_path = tmp / f"{name}-log.json"
        self.personal = ["+919999900001", "+919999900002"]
        self.log = PhoneLog(self.rng, self.log_path, personal=self.personal)
        self.proxy = FaultProxy(server.port, stall_s=STALL, rng=random.Random(seed + 1))
        self.proxy.on_kill = self.kill
        self.proc: subprocess.Popen | None = None
        self.points = collections.Counter()  # where a kill was planned
        self.kills = collections.Counter()  # where the agent really died by SIGKILL
        self.exits = collections.Counter()
        self.shift_start = 0
        self.error = ""

    def agent(self, *args: str, **kw):
        return run_agent(self.home, *args, fake_bin=self.fake_bin, FAKE_CALL_LOG=str(self.log_path), **kw)

    def setup(self, code: str) -> None:
        self.log.add(0, 1, count=0)  # an empty call log file
        done = self.agent("pair", "--server", self.proxy.url, "--code", code)
        assert done.returncode == 0, done.stderr
        # The exclusion list as a person types it; the phone's log writes the numbers otherwise.
        done = self.agent("exclude", "add", "+91 99999 00001", "09999900002")
        assert done.returncode == 0, done.stderr
        self.shift_start = int(time.time()) - 3 * 3600
        at = dt.datetime.fromtimestamp(self.shift_start, dt.UTC).isoformat()
        done = self.agent("punch-in", "--at", at)
        assert done.returncode == 0 and "done" in done.stdout, done.stdout + done.stderr

    def kill(self, proc: subprocess.Popen | None = None) -> None:
        proc = proc or self.proc
        # poll() is None: not yet reaped, so the pid is still this agent's.
        if proc is not None and proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def run(self, index: int) -> None:
        rng = self.rng
        now = int(time.time())
        # New rows in the call log: mostly on shift, some from before the punch-in (never to
        # be sent), none within 3 s of it (the shift's edge is to the second on both sides).
        lo, hi = self.shift_start - 1800, now - 60
        for _ in range(rng.randint(1, 4)):
            added = self.log.add(lo, hi, count=1)[0]
            if abs(added["epoch"] - self.shift_start) <= 3:
                self.log.calls.remove(added)
        self.log.add(0, 1, count=0)  # rewrite the file
        point = rng.choices([p for p, _ in POINTS], weights=[w for _, w in POINTS])[0]
        self.points[point] += 1
        kill_left = [PROXY_KILL.get(point)]
        lock = threading.Lock()

        def policy(method, path, body):
            with lock:
                if kill_left[0] and path.endswith("/calls/sync"):
                    action, kill_left[0] = kill_left[0], None
                    return action
                if rng.random() < FAULT_RATE:
                    return rng.choice(FAULTS)
                return "pass"

        self.proxy.policy = policy
        args = [
            "sync",
            "-v",
            "--source",
            self.source,
            "--tz",
            "Asia/Kolkata",
            "--timeout",
            str(AGENT_TIMEOUT),
            "--retries",
            "2",
            "--backoff",
            "0.02",
            "--batch-size",
            str(rng.choice([3, 7, 20, 500])),
            "--page-size",
            str(rng.choice([10, 25, 100])),
        ]
        env = agent_env(
            self.home, fake_bin=self.fake_bin, FAKE_CALL_LOG=str(self.log_path), FAKE_DELAY_S="0.02"
        )
        self.proc = proc = subprocess.Popen(
            agent_cmd(*args), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        markers = MARKERS.get(point, ())
        delay = rng.uniform(0, 0.02)
        timer = None
        if point == "random time":
            timer = threading.Timer(rng.uniform(0.02, 0.6), self.kill, args=(proc,))
            timer.start()

        def watch_stderr():
            fired = False
            for line in proc.stderr:
                if not fired and any(marker in line for marker in markers):
                    fired = True
                    # Bound to this run's process: it must not kill the next run's.
                    threading.Timer(delay, self.kill, args=(proc,)).start()

        reader = threading.Thread(target=watch_stderr, daemon=True)
        reader.start()
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError(f"{self.name} run {index}: the agent hung for 60 s") from None
        finally:
            if timer:
                timer.cancel()
        reader.join(5)
        self.exits[code] += 1
        if code == -signal.SIGKILL:
            self.kills[point] += 1

    def finish(self) -> tuple[int, int]:
        """The clean sync, then the check: every call on shift once, nothing else ever sent."""
        self.proxy.policy = lambda method, path, body: "pass"
        done = self.agent("sync", "--source", self.source, "--tz", "Asia/Kolkata", "--timeout", "20")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "outbox 0" in done.stdout, done.stdout
        personal = {number_key(n) for n in self.personal}
        expected = sorted(
            (c["e164"], utc(c["epoch"]), c["type"], c["duration"])
            for c in self.log.calls
            if c["epoch"] >= self.shift_start and number_key(c["e164"]) not in personal
        )
        stored = self.server.calls_of(self.slug)
        assert len(stored) == len(set(stored)), "a call is stored twice"
        missing = sorted(set(expected) - set(stored))
        extra = sorted(set(stored) - set(expected))
        assert not missing and not extra, f"{self.name}: missing {missing[:5]}, not expected {extra[:5]}"
        assert sorted(stored) == expected
        for body in self.proxy.sync_bodies:
            for sent in json.loads(body)["calls"]:
                assert number_key(sent["number"]) not in personal, "an excluded number was sent"
                started = dt.datetime.fromisoformat(sent["started_at"]).timestamp()
                assert started >= self.shift_start, "a call from outside the shift was sent"
        done = self.agent("punch-out")
        assert done.returncode == 0, done.stdout + done.stderr
        return len(expected), len(self.log.calls)


def test_no_call_lost_or_doubled_when_the_agent_is_killed_and_the_network_fails(server, tmp_path):
    started = time.monotonic()
    # Phones run side by side: each is its own person, device and outbox, and while one waits
    # for the server or a stall, another works.
    phones = [
        Phone(name, source, server, tmp_path, SEED + 100 * i)
        for i, (name, source) in enumerate(
            [("termux", "termux"), ("adb", "adb"), ("termux-2", "termux"), ("adb-2", "adb")]
        )
    ]
    codes = [code for _, [code] in server.people(*(p.slug for p in phones), token=False)]
    setups = [threading.Thread(target=p.setup, args=(code,)) for p, code in zip(phones, codes, strict=True)]
    for thread in setups:
        thread.start()
    for thread in setups:
        thread.join()
    assert all(p.shift_start for p in phones), "a phone could not pair or punch in (see above)"
    share = [RUNS // len(phones) + (1 if i < RUNS % len(phones) else 0) for i in range(len(phones))]
    errors: list[BaseException] = []

    def drive(phone: Phone, runs: int):
        try:
            for index in range(runs):
                phone.run(index)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=drive, args=(p, n)) for p, n in zip(phones, share, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]

    checked = generated = 0
    for phone in phones:
        on_shift, total = phone.finish()
        checked += on_shift
        generated += total
        phone.proxy.close()

    points = sum((p.points for p in phones), collections.Counter())
    kills = sum((p.kills for p in phones), collections.Counter())
    actions = sum((p.proxy.counts for p in phones), collections.Counter())
    said = sum((p.proxy.server_said for p in phones), collections.Counter())
    exits = sum((p.exits for p in phones), collections.Counter())
    FIGURES["agent fault test"] = "\n".join(
        [
            f"seed {SEED}: {sum(share)} runs "
            f"({', '.join(f'{p.name} {n}' for p, n in zip(phones, share, strict=True))})"
            f" in {time.monotonic() - started:.1f} s",
            f"agent SIGKILLed in {sum(kills.values())} runs: "
            + ", ".join(f"{point} {kills[point]}/{points[point]}" for point, _ in POINTS if point != "none"),
            f"agent exits: {dict(sorted(exits.items()))} (-9 killed, 0 done, 1 stopped by faults)",
            f"proxy: {sum(actions.values())} requests; injected "
            + ", ".join(f"{a} {actions[a]}" for a in FAULTS)
            + f"; kills with a request in flight {actions['kill']}, "
            f"after the server stored {actions['kill-after']}",
            f"server answered: stored {said['stored']}, duplicates {said['duplicates']} (resends), "
            f"outside shift {said['outside_shift']}",
            f"calls: {generated} in the phones' logs, {checked} on shift and not excluded "
            "— each stored exactly once",
        ]
    )
    assert sum(share) >= 200 or "LEADTRACKER_FAULT_RUNS" in os.environ
    assert sum(kills.values()) >= sum(share) // 2  # most runs really died mid-way
