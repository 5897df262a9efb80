"""Usage data: the phone's app version and system, counters per day; both expire."""

import datetime as dt

from django.utils import timezone

from leadtracker.calls.actions import count_usage, purge_usage
from leadtracker.calls.models import Device, UsageDay
from leadtracker.calls.tests.conftest import call


def test_the_phone_reports_its_app_version_and_system(phone):
    send_headers = {"HTTP_X_APP_VERSION": "0.2.1", "HTTP_X_OS": "Android 14"}
    response = phone.post(
        "/api/v1/calls/sync", {"calls": [call(1)]}, content_type="application/json", **send_headers
    )
    assert response.status_code == 200
    device = Device.objects.get(pk=phone.device.pk)
    assert (device.app_version, device.os_version) == ("0.2.1", "Android 14")
    assert UsageDay.objects.get(event="calls.sync").app_version == "0.2.1"


def test_usage_expires(acme, phone, settings):
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
