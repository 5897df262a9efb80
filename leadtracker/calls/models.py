"""Paired phones (devices) and the codes that pair them. Calls come with the sync issue."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from leadtracker.accounts.models import ApiToken, Organisation


class PairingCode(models.Model):
    """A short, single-use code, valid 15 minutes, that a phone exchanges for a device token."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"pairing code {self.pk}"


class Permission(models.TextChoices):
    GRANTED = "granted", "Granted"
    REVOKED = "revoked", "Revoked"
    UNKNOWN = "unknown", "Not reported"


class Device(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="devices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    token = models.OneToOneField(ApiToken, on_delete=models.PROTECT, related_name="device")
    name = models.CharField(max_length=100)
    platform = models.CharField(max_length=40, blank=True)
    os_version = models.CharField(max_length=60, blank=True)
    app_version = models.CharField(max_length=60, blank=True)
    paired_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    newest_call_at = models.DateTimeField(null=True, blank=True)
    queue_length = models.PositiveIntegerField(null=True, blank=True)
    call_log_permission = models.CharField(
        max_length=10, choices=Permission.choices, default=Permission.UNKNOWN
    )
    last_call_log_read_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "user"], name="device_user")]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
