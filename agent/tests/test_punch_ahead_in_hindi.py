"""A punch refused as too far ahead is sent again in the server's time whatever the language of
the server's message (issue 20 §3): a Hindi speaker's 422 says "… आगे का है", and the agent reads
the refusal's code ("in_the_future") rather than the English word "future"."""

import datetime as dt
import time

from test_sync_rules import fake, make_agent  # noqa: F401 — the fixture and the agent builder


def test_a_punch_refused_in_hindi_is_sent_again_in_the_servers_time(fake, tmp_path):  # noqa: F811
    fake.clock_shift = -600  # the phone runs ten minutes ahead of the server

    def handle(method, path, body):
        at = dt.datetime.fromisoformat(body["at"]).timestamp()
        if at > time.time() - 600 + 300:
            message = "5 minutes से ज़्यादा आगे का है"
            errors = [{"field": "at", "message": message, "code": "in_the_future"}]
            return 422, {"detail": message, "errors": errors}, {}
        return 201, {"id": 3, "started_at": body["at"], "ended_at": None}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [])
    message, status = agent.punch("in", float(int(time.time())), None)
    assert status == 0, message
    sent = [dt.datetime.fromisoformat(b["at"]).timestamp() for m, p, b in fake.requests]
    assert len(sent) == 2 and abs(sent[1] - (sent[0] - 600)) <= 2
    assert store.shifts() == [(sent[1], None)]


def test_another_422_in_hindi_is_still_refused(fake, tmp_path):  # noqa: F811
    fake.clock_shift = -600

    def handle(method, path, body):
        message = "जगह ग़लत है"
        return 422, {"detail": message, "errors": [{"field": "location", "message": message}]}, {}

    fake.handle = handle
    agent, store = make_agent(tmp_path, fake, [])
    agent.punch("in", float(int(time.time())), None)
    assert len(fake.requests) == 1 and store.shifts() == []
