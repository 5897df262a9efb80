"""The dashboard's devices tile counts in the database (calls.selectors.health_counts) what the
devices page shows row by row (health): the same devices, stale ones and revoked permissions,
for an owner, a manager and a narrowed list of people, and the same first rows flagged."""

import datetime as dt

from django.utils import timezone

from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Device
from leadtracker.calls.selectors import health, health_counts
from leadtracker.testing import paired_client


def from_rows(viewer, user_ids=None) -> dict:
    rows = [r for r in health(viewer) if user_ids is None or r["device"].user_id in user_ids]
    revoked = [r for r in rows if r["device"].call_log_permission == "revoked"]
    return {
        "devices": len(rows),
        "stale": sum(1 for r in rows if r["stale"]),
        "revoked": len(revoked),
        "flagged": [
            r["device"].pk for r in rows if r["stale"] or r["device"].call_log_permission == "revoked"
        ],
    }


def test_the_tile_counts_what_the_devices_page_shows(acme, settings):
    settings.DEVICE_STALE_MINUTES = 30
    now = timezone.now()
    for member in (acme.alice, acme.bob, acme.carl, acme.maya):
        paired_client(member, name=f"phone {member.pk}")
    paired_client(acme.alice, name="second phone")
    devices = {d.name: d for d in Device.objects.filter(organisation=acme.org)}
    two_hours_ago = now - dt.timedelta(hours=2)
    # Alice on shift: one phone silent for two hours (stale), the other synced a minute ago.
    Device.objects.filter(pk=devices[f"phone {acme.alice.pk}"].pk).update(
        paired_at=two_hours_ago, last_sync_at=None
    )
    Device.objects.filter(pk=devices["second phone"].pk).update(last_sync_at=now - dt.timedelta(minutes=1))
    # Bob on shift, synced long ago and its permission revoked; Carl off shift, silent (not stale).
    Device.objects.filter(pk=devices[f"phone {acme.bob.pk}"].pk).update(
        last_sync_at=two_hours_ago, call_log_permission="revoked"
    )
    Device.objects.filter(pk=devices[f"phone {acme.carl.pk}"].pk).update(
        paired_at=two_hours_ago, last_sync_at=None
    )
    # Maya's phone was unpaired: no longer counted.
    Device.objects.filter(pk=devices[f"phone {acme.maya.pk}"].pk).update(revoked_at=now)
    for member in (acme.alice, acme.bob):
        Shift.objects.create(organisation=acme.org, user=member.user, started_at=now - dt.timedelta(hours=3))

    everyone = health_counts(acme.olga)
    assert (everyone["devices"], everyone["stale"], everyone["revoked"]) == (4, 2, 1)
    for viewer, ids in (
        (acme.olga, None),
        (acme.maya, None),
        (acme.olga, [acme.alice.user_id, acme.carl.user_id]),
        (acme.maya, [acme.bob.user_id]),
        (acme.carl, None),
    ):
        got = health_counts(viewer, ids)
        expected = from_rows(viewer, ids)
        assert {**got, "flagged": [r["device"].pk for r in got["flagged"]]} == expected, (viewer, ids)
    assert [r["device"].pk for r in health_counts(acme.olga, flagged=1)["flagged"]] == from_rows(acme.olga)[
        "flagged"
    ][:1]
