"""Usage data: the phone's app version and system, counters per day; both expire."""

import datetime as dt

from django.utils import timezone

from leadtracker.accounts.models import Organisation
from leadtracker.calls.actions import count_usage, purge_usage
from leadtracker.calls.models import Device, UsageDay
from leadtracker.testing import call, clocks, send


def test_the_phone_reports_its_app_version_and_system(phone):
    send_headers = {"HTTP_X_APP_VERSION": "0.2.1", "HTTP_X_OS": "Android 14"}
    response = phone.post(
        "/api/v1/calls/sync", {"calls": [call(1)]}, content_type="application/json", **send_headers
    )
    assert response.status_code == 200
    device = Device.objects.get(pk=phone.device.pk)
    assert (device.app_version, device.os_version) == ("0.2.1", "Android 14")
    assert UsageDay.objects.get(event="calls.sync").app_version == "0.2.1"


@clocks()
def test_usage_expires(frozen_at, acme, phone, settings):
    settings.USAGE_RETENTION_DAYS = 30
    count_usage(acme.org, "calls.sync")
    old = timezone.localdate() - dt.timedelta(days=31)
    UsageDay.objects.create(organisation=acme.org, day=old, event="calls.sync", count=5)
    Device.objects.filter(pk=phone.device.pk).update(
        app_version="0.1.0",
        os_version="13",
        platform="android",
        revoked_at=timezone.now() - dt.timedelta(days=40),
    )
    assert purge_usage() == 2
    assert list(UsageDay.objects.values_list("day", flat=True)) == [timezone.localdate()]
    device = Device.objects.get(pk=phone.device.pk)
    assert (device.app_version, device.os_version, device.platform) == ("", "", "")
    assert device.name  # the phone itself stays listed as revoked


def test_the_worker_runs_the_purge(acme, settings):
    from leadtracker.accounts.scheduler import load_jobs
    from leadtracker.lib.periodic import REGISTRY

    load_jobs()
    assert "leadtracker.calls.tasks.purge_usage" in REGISTRY


@clocks("monday-00:05")
def test_one_calendar_for_usage_whatever_zone_a_page_is_in(frozen_at, acme, phone, as_member):
    """An organisation in London: at 00:05 on Monday in India it is Sunday evening there. A
    phone's sync (no zone switched on) and a call logged by hand on a page (the organisation's
    zone switched on) count on the same day, the server's, which the usage page reads too."""
    Organisation.objects.filter(pk=acme.org.pk).update(time_zone="Europe/London")
    assert send(phone, [call(1, minutes_ago=2)]).status_code == 200
    logged = as_member(acme.alice).post(
        "/calls/log/",
        {
            "number": "98222 22222",
            "direction": "out",
            "connected": "0",
            "minutes": "",
            "follow_up_kind": "call",
        },
    )
    assert logged.status_code == 302
    days = dict(UsageDay.objects.values_list("event", "day"))
    assert days == {"calls.sync": dt.date(2026, 12, 7), "call.manual": dt.date(2026, 12, 7)}
    page = as_member(acme.olga).get("/api/v1/usage").json()
    assert page["by_event"] == {"call.manual": 1, "calls.sync": 1}
