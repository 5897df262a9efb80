"""Reads of devices, with visibility: own devices; a manager's team's; an admin's all."""

import datetime as dt

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leadtracker.accounts.models import Membership
from leadtracker.accounts.visibility import visible
from leadtracker.attendance.selectors import users_on_shift
from leadtracker.calls.models import Device


def devices_for(viewer: Membership):
    return visible(Device.objects.all(), viewer, owner_field="user").select_related("user")


def get_device(viewer: Membership, device_id: int) -> Device:
    return get_object_or_404(devices_for(viewer), pk=device_id)


def health(viewer: Membership, now=None) -> list[dict]:
    """Each active device with whether it is stale: its person is on shift and it has not
    synced for DEVICE_STALE_MINUTES."""
    now = now or timezone.now()
    devices = list(devices_for(viewer).filter(revoked_at__isnull=True).order_by("user__full_name", "name"))
    on_shift = users_on_shift(viewer.organisation_id, {d.user_id for d in devices})
    limit = dt.timedelta(minutes=settings.DEVICE_STALE_MINUTES)
    rows = []
    for d in devices:
        last = d.last_sync_at or d.paired_at
        rows.append(
            {
                "device": d,
                "on_shift": d.user_id in on_shift,
                "stale": d.user_id in on_shift and now - last > limit,
            }
        )
    return rows
