"""Privacy notices (versioned, frozen once published) and members' acceptances of them."""

from django.conf import settings
from django.db import models


class LegalBasis(models.TextChoices):
    CONSENT = "consent", "Consent"
    # DPDP Act 2023 s. 7(i): processing for the purposes of employment is a legitimate use.
    EMPLOYMENT = "employment", "Legitimate use: employment"


class PrivacyNotice(models.Model):
    """One version of an organisation's privacy notice.

    ``items`` is a JSON list of ``{"data", "purpose", "legal_basis", "retention"}``, validated by
    ``validation.clean_items``: a version is one document, read and frozen as a whole, never
    queried item by item, so one row holds it and one trigger keeps it from changing.
    Published rows are refused any UPDATE by a database trigger (see the migration), not only
    by the action, so no code path can rewrite what members accepted.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    # Numbered when published (1, 2, 3 … per organisation); a draft has none yet.
    version = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    items = models.JSONField(default=list)
    effective_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="privacy_notice_version_unique"),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(version__isnull=False, effective_at__isnull=False),
                name="privacy_notice_published_has_version_and_date",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "effective_at"])]

    def __str__(self):
        return f"{self.title} v{self.version}" if self.version else f"{self.title} (draft)"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class NoticeAcceptance(models.Model):
    """A member accepted a notice version. Append-only: a database trigger refuses UPDATEs."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Copied from the notice so the record reads on its own, e.g. in a person's export.
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="privacy_acceptance_once"),
        ]
        indexes = [models.Index(fields=["user", "organisation"])]

    def __str__(self):
        return f"v{self.version} accepted by user {self.user_id}"
