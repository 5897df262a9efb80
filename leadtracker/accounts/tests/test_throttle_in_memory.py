"""A read is no write: the API's general rates (per user, per address) are counted in the
process's memory and added to the shared counter every 1/50 of the rate, or as soon as the
process's own estimate passes the rate; what another process counted is learnt at each write.
Transactional tests: the counts are remembered only once their row is committed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts import throttle
from leadtracker.accounts.models import RateCounter
from leadtracker.testing import clocks

pytestmark = [pytest.mark.django_db(transaction=True), clocks("sunday")]


def counter_writes(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    table = RateCounter._meta.db_table
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith(("INSERT", "UPDATE"))]
    return sum(1 for sql in writes if table in sql)


def test_a_users_reads_write_the_counter_once_in_fifty_of_the_rate(frozen_at, acme, api_as, settings):
    settings.API_RATE_AUTHENTICATED = "1000/h"  # told every 20 requests
    alice = api_as(acme.alice)
    writes = [counter_writes(lambda: alice.get("/api/v1/me")) for _ in range(41)]
    assert writes == [1] + [0] * 19 + [1] + [0] * 19 + [1]
    assert RateCounter.objects.get().hits == 41


def test_the_rate_holds_in_one_process_to_the_request(frozen_at, acme, api_as, settings):
    settings.API_RATE_AUTHENTICATED = "100/h"
    alice = api_as(acme.alice)
    statuses = [alice.get("/api/v1/me").status_code for _ in range(101)]
    assert statuses == [200] * 100 + [429]
    assert api_as(acme.bob).get("/api/v1/me").status_code == 200  # someone else's budget is their own


def test_what_other_processes_counted_is_learnt_at_the_next_write(frozen_at, acme, api_as, settings):
    settings.API_RATE_AUTHENTICATED = "100/h"  # told every 2 requests
    alice = api_as(acme.alice)
    assert alice.get("/api/v1/me").status_code == 200
    # Another worker served alice 98 requests meanwhile and wrote them.
    RateCounter.objects.update(hits=99)
    assert alice.get("/api/v1/me").status_code == 200  # 100 by the shared count: the last one
    assert [alice.get("/api/v1/me").status_code for _ in range(2)] == [429, 429]


def test_a_purged_window_is_counted_afresh(frozen_at, acme, api_as, settings):
    settings.API_RATE_AUTHENTICATED = "4/h"  # told every request
    alice = api_as(acme.alice)
    assert [alice.get("/api/v1/me").status_code for _ in range(5)] == [200] * 4 + [429]
    RateCounter.objects.all().delete()  # the purge job, or an admin lifting the limit
    assert alice.get("/api/v1/me").status_code == 200
    assert RateCounter.objects.get().hits == 1


def test_forget_drops_this_processes_counts(frozen_at, acme, api_as, settings):
    settings.API_RATE_AUTHENTICATED = "1000/h"
    alice = api_as(acme.alice)
    alice.get("/api/v1/me")
    assert counter_writes(lambda: alice.get("/api/v1/me")) == 0
    throttle.forget()
    assert counter_writes(lambda: alice.get("/api/v1/me")) == 1
