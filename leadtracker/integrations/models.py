"""Connectors (one account at one provider) and the log of payloads they received."""

import secrets as random_secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leadtracker.accounts.models import Organisation
from leadtracker.integrations import crypto
from leadtracker.leads.models import Lead, LeadSource


def new_url_token() -> str:
    # 32 random bytes: the token is the only thing between the Internet and the hook.
    return random_secrets.token_urlsafe(32)


class Connector(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    name = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    # Non-secret settings, the field mapping among them; secrets live sealed in sealed_secrets.
    options = models.JSONField(default=dict, blank=True)
    sealed_secrets = models.TextField(blank=True, default="")
    url_token = models.CharField(max_length=64, unique=True, default=new_url_token)
    source = models.ForeignKey(LeadSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_received_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    # The last error as what to say (lib/stored_text.py), read in the reader's language; empty
    # when it was words only (last_error, the English kept for the record and the API).
    last_error_said = models.JSONField(default=dict, blank=True)
    # A pull connector's place (IndiaMART: the end of the last window fully stored).
    cursor = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "kind"], name="connector_org_kind")]

    def __str__(self):
        return self.name

    @property
    def secrets(self) -> dict:
        return crypto.open_sealed(self.sealed_secrets)

    @secrets.setter
    def secrets(self, values: dict) -> None:
        self.sealed_secrets = crypto.seal({k: v for k, v in values.items() if v not in (None, "")})

    def readable_secrets(self) -> dict:
        """The secrets, or none when they were sealed with another key (it was changed or lost):
        the settings page then opens, says they are not set, and what the admin enters again
        replaces what cannot be read."""
        try:
            return self.secrets
        except crypto.SecretsUnreadable:
            return {}

    def setting(self, name: str, default=""):
        """An option by name, secret or not."""
        if name in self.options:
            return self.options[name]
        return self.secrets.get(name, default)


# The payload log is kept this long: enough to see what came and replay what failed; the
# retention purge (privacy/retention/purge.py) removes older ones.
PAYLOAD_DAYS = 7


class PayloadStatus(models.TextChoices):
    RECEIVED = "received", _("Waiting")
    DONE = "done", _("New lead")
    DUPLICATE = "duplicate", _("Came back (lead existed)")
    FAILED = "failed", _("Failed")


class Payload(models.Model):
    """One delivery from a provider, as received (recording fields dropped), kept 7 days."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="payloads")
    received_at = models.DateTimeField(default=timezone.now)
    # The provider's id for the lead or call: the de-duplication key (empty when it gives none).
    external_id = models.CharField(max_length=200, blank=True, default="")
    body = models.JSONField(default=dict, blank=True)
    is_test = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=PayloadStatus.choices, default=PayloadStatus.RECEIVED)
    error = models.TextField(blank=True, default="")
    # ``error`` as what to say, read in the reader's language (as Connector.last_error_said).
    error_said = models.JSONField(default=dict, blank=True)
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "connector", "external_id"],
                condition=~Q(external_id=""),
                name="payload_once_per_external_id",
            )
        ]
        indexes = [
            models.Index(fields=["connector", "-received_at"], name="payload_connector_recent"),
            models.Index(fields=["organisation", "received_at"], name="payload_org_received"),
        ]

    def __str__(self):
        return f"{self.connector_id}:{self.external_id or self.pk}"
