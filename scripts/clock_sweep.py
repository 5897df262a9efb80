"""A pytest plugin for finding tests that pass only at some hours: every test that does not freeze
the clock itself (``frozen_at``) starts with the clock moved (time-machine, ticking) to a time of
day drawn near the edges of India's day — 00:00–06:40 IST (calls "minutes ago" on yesterday's
date; UTC still on the day before), 23:45–23:59 (a test that runs across midnight) and 05:20–05:40
(UTC's midnight). The draw is seeded by CLOCK_SWEEP_SEED and the test's id, so a failure comes
back with the same seed (or set CLOCK_SWEEP_AT=HH:MM for every test); the clock a test ran at is
printed with its output.

    CLOCK_SWEEP_SEED=1 PYTHONPATH=scripts .venv/bin/pytest -p clock_sweep leadtracker

A diagnostic, not part of `make test`: the clock moves in the test's process only, so a test
that starts a server, worker or command as another process (or compares file times the kernel
wrote) sees two clocks a day apart and fails for that alone (test_upload_leftovers and IndiaMART's
killed worker, 7 Dec 2026). Three seeds over the SQLite pass found nothing else after 4b451b0."""

import datetime as dt
import os
import random

import pytest
import time_machine

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


@pytest.fixture(autouse=True)
def _clock_sweep(request):
    if "frozen_at" in request.fixturenames:  # the test's own clock
        yield
        return
    draw = random.Random(f"{os.environ.get('CLOCK_SWEEP_SEED', '0')}:{request.node.nodeid}")
    minute = draw.choice([draw.randrange(0, 400), draw.randrange(1425, 1440), draw.randrange(320, 340)])
    if os.environ.get("CLOCK_SWEEP_AT"):  # HH:MM, to run a failure again at its hour
        hour, _, minutes = os.environ["CLOCK_SWEEP_AT"].partition(":")
        minute = int(hour) * 60 + int(minutes)
    now = dt.datetime.now(IST)
    at = now.replace(hour=minute // 60, minute=minute % 60, second=draw.randrange(60), microsecond=0)
    print(f"clock_sweep: the clock starts at {at.isoformat()}")
    with time_machine.travel(at, tick=True):
        yield
