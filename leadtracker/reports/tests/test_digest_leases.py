"""Each person's digest is sent under a lease: one whose worker died mid-send goes out on a
later pass, one a live worker is sending is not sent twice, and no database transaction is
open while the mail server answers (issue 15 item 2)."""

import datetime as dt

from django.core import mail
from django.db import connection
from django.utils import timezone

from leadtracker.accounts.models import Organisation, PeriodicJobRun
from leadtracker.reports import digest
from leadtracker.reports.tests.test_digest import at


def tomorrow(org) -> dt.date:
    return timezone.now().astimezone(org.tzinfo).date() + dt.timedelta(days=1)


def lease(member, holder, seconds):
    """What a worker leaves when it took a person's digest and is building or sending it."""
    PeriodicJobRun.objects.create(
        name=digest.run_name(member),
        last_run_at=digest.NEVER,
        lease_holder=holder,
        lease_until=timezone.now() + dt.timedelta(seconds=seconds),
    )


def test_a_digest_whose_worker_died_goes_out_when_its_lease_lapses(acme):
    Organisation.objects.update(digest_hour=8)
    lease(acme.maya, "gone:4242:0badf00d", seconds=-1)
    assert digest.send_due(now=at(tomorrow(acme.org), 8, 15)) == 5
    assert sorted(m.to[0] for m in mail.outbox).count("maya@acme.test") == 1
    run = PeriodicJobRun.objects.get(name=digest.run_name(acme.maya))
    assert run.last_run_at == at(tomorrow(acme.org), 8, 15)
    assert (run.lease_holder, run.lease_until) == ("", None)


def test_a_digest_a_live_worker_is_sending_is_not_sent_twice(acme):
    Organisation.objects.update(digest_hour=8)
    lease(acme.maya, "alive:1:cafe", seconds=60)
    assert digest.send_due(now=at(tomorrow(acme.org), 8, 15)) == 4
    assert "maya@acme.test" not in {m.to[0] for m in mail.outbox}


def test_no_transaction_is_open_while_the_mail_is_sent(acme, monkeypatch):
    Organisation.objects.update(digest_hour=8)
    outer = len(connection.atomic_blocks)  # the test's own transaction
    depths = []
    send = mail.EmailMultiAlternatives.send

    def look(message, *args, **kwargs):
        depths.append(len(connection.atomic_blocks) - outer)
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", look)
    assert digest.send_due(now=at(tomorrow(acme.org), 8)) == 5
    assert depths == [0] * 5
