"""Shifts: punch-in to punch-out. Call tracking happens only inside them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from leadtracker.accounts.models import Organisation


class ShiftSource(models.TextChoices):
    WEB = "web", "Web app"
    API = "api", "API"
    DEVICE = "device", "Phone"
    CORRECTION = "correction", "Manager correction"


class Shift(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    started_via = models.CharField(max_length=12, choices=ShiftSource.choices, default=ShiftSource.WEB)
    ended_via = models.CharField(max_length=12, choices=ShiftSource.choices, blank=True)
    # Closed by the worker at the organisation's working-day end, not by the person.
    closed_automatically = models.BooleanField(default=False)
    # Location only when the organisation asks for it and the person's browser or phone allows it.
    start_lat = models.FloatField(null=True, blank=True)
    start_lon = models.FloatField(null=True, blank=True)
    start_accuracy_m = models.FloatField(null=True, blank=True)
    end_lat = models.FloatField(null=True, blank=True)
    end_lon = models.FloatField(null=True, blank=True)
    end_accuracy_m = models.FloatField(null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    correction_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # At most one open shift per person in an organisation: held by the database.
            models.UniqueConstraint(
                fields=["organisation", "user"], condition=Q(ended_at__isnull=True), name="one_open_shift"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="shift_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "user", "started_at"], name="shift_user_start"),
            models.Index(fields=["organisation", "ended_at"], name="shift_open"),
        ]

    def __str__(self):
        return f"shift {self.pk} of user {self.user_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def duration(self, now=None):
        return (self.ended_at or now or timezone.now()) - self.started_at
