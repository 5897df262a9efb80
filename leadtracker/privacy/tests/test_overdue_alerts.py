"""The worker tells admins and owners, once, about each request past its due date."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification
from leadtracker.lib.periodic import REGISTRY
from leadtracker.privacy import tasks
from leadtracker.privacy.requests import actions
from leadtracker.privacy.tests.requests_util import make_lead, make_request
from leadtracker.testing import clocks


@clocks()
def test_overdue_requests_alert_admins_and_owners_once(frozen_at, acme, globex):
    late = make_request(acme, received_at=timezone.now() - dt.timedelta(days=31))
    make_request(  # not yet due
        acme, lead=make_lead(acme, phone="+919812345678", email="b@example.in"), received_at=timezone.now()
    )
    closed = make_request(
        acme,
        lead=make_lead(acme, phone="+919812345679", email="c@example.in"),
        received_at=timezone.now() - dt.timedelta(days=40),
    )
    actions.update_request(closed, actor=Actor.system(), status="done", outcome="Answered")
    assert actions.alert_overdue_requests() == 1
    alerts = Notification.objects.filter(organisation=acme.org)
    assert {n.user_id for n in alerts} == {acme.olga.user_id, acme.adam.user_id}
    assert all(n.url == f"/settings/privacy/requests/{late.pk}/" and "overdue" in n.text for n in alerts)
    assert all("Ravi" not in n.text for n in alerts)  # no personal data in a notification
    # The next runs say nothing more about it.
    assert actions.alert_overdue_requests() == 0
    assert actions.alert_overdue_requests(now=timezone.now() + dt.timedelta(days=5)) == 0
    assert Notification.objects.count() == 2
    assert not Notification.objects.filter(organisation=globex.org).exists()


def test_the_job_is_registered_with_the_worker():
    job = REGISTRY["leadtracker.privacy.tasks.alert_overdue_requests"]
    assert job.task is tasks.alert_overdue_requests and job.every <= dt.timedelta(hours=1)
