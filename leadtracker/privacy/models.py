"""Privacy: notices and acceptances, data requests, legal holds, access exports, the erasure ledger."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.lib.leases import Leased


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent")
    # DPDP Act 2023 s. 7(i): processing for the purposes of employment is a legitimate use.
    EMPLOYMENT = "employment", _("Legitimate use: employment")


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
        return (
            f"{self.title} v{self.version}"
            if self.version
            else str(_("%(title)s (draft)") % {"title": self.title})
        )

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
            # With the organisation, so the check stays on one organisation's shard (docs/scaling.md).
            models.UniqueConstraint(
                fields=["organisation", "notice", "user"], name="privacy_acceptance_once_per_organisation"
            ),
        ]
        indexes = [models.Index(fields=["user", "organisation"])]

    def __str__(self):
        return f"v{self.version} accepted by user {self.user_id}"


class PrivacySettings(models.Model):
    """Per-organisation privacy settings that belong to the privacy app, not to accounts.

    A missing row means the defaults: the row is created the first time an admin changes one.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # DPDP Rules and GDPR art. 12(3) both allow about a month; an organisation may promise less.
    request_period_days = models.PositiveSmallIntegerField(default=30)
    # Retention periods in days; bounds and the audit log's period live in privacy/retention/purge.py.
    call_record_days = models.PositiveSmallIntegerField(default=365)
    shift_location_days = models.PositiveSmallIntegerField(default=90)
    usage_days = models.PositiveSmallIntegerField(default=180)
    import_file_days = models.PositiveSmallIntegerField(default=7)
    # How long a built access export can be downloaded before the purge deletes it.
    export_days = models.PositiveSmallIntegerField(default=7)

    def __str__(self):
        return f"privacy settings of organisation {self.organisation_id}"


class RequestKind(models.TextChoices):
    ACCESS = "access", pgettext_lazy("a data request", "Access")
    CORRECTION = "correction", _("Correction")
    ERASURE = "erasure", _("Erasure")
    GRIEVANCE = "grievance", _("Grievance")


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("a data request", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


CLOSED_STATUSES = (RequestStatus.DONE, RequestStatus.REFUSED)


class RequestChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("Letter")
    WEB = "web", _("Web form")
    OTHER = "other", _("Other")


class DataRequest(models.Model):
    """A data principal's request (access, correction, erasure) or grievance, with its deadline.

    The subject is a lead or a member; SET_NULL keeps the register's row (that a request was
    made and how it was answered) when the person's own record is erased.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    lead = models.ForeignKey("leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who asked: the person, or someone acting for them (a parent, a lawyer).
    requested_by = models.CharField(max_length=200)
    channel = models.CharField(max_length=16, choices=RequestChannel.choices)
    details = models.TextField(blank=True)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    verification_note = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    refusal_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the admins were told it is overdue: the worker alerts once, not every run.
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(lead__isnull=False, member__isnull=False),
                name="data_request_one_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RequestStatus.REFUSED, refusal_reason=""),
                name="data_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CLOSED_STATUSES, closed_at__isnull=False)
                | (~models.Q(status__in=CLOSED_STATUSES) & models.Q(closed_at__isnull=True)),
                name="data_request_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "closed_at", "due_at"], name="data_request_register"),
            # The overdue job's scan: open requests past their date not yet alerted.
            models.Index(fields=["due_at", "overdue_alerted_at"], name="data_request_overdue"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} request #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, now=None) -> bool:
        return not self.is_closed and self.due_at < (now or timezone.now())

    @property
    def subject_kind(self) -> str:
        return "lead" if self.lead_id else "member" if self.member_id else ""


class LegalHold(models.Model):
    """While unreleased, the retention purge keeps the calls and shift locations of this lead
    or member: a dispute or an investigation may need them past their period."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey("leads.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False, member__isnull=True)
                | models.Q(lead__isnull=True, member__isnull=False),
                name="legal_hold_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "released_at"], name="legal_hold_active")]

    def __str__(self):
        return f"legal hold #{self.pk}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class AccessExport(Leased):
    """A zip of everything held about one lead or member, built by the worker for an admin.

    The file itself is personal data: it lives outside static and media, is downloadable only
    until ``expires_at`` and is deleted by the retention purge after that. The worker building
    it holds its lease (lib/leases.py); one that dies leaves a lease that lapses, and the
    export is built again from the start (a zip is one consistent snapshot, not resumable).
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    data_request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )
    lead = models.ForeignKey("leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    # 0–100, shown while the worker builds the file.
    progress = models.PositiveSmallIntegerField(default=0)
    # Relative to settings.PRIVATE_FILES_DIR (never served as a static or media file).
    file_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)
    # How many workers took it: past MAX_ATTEMPTS it is failed rather than tried for ever.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="access_export_list"),
            models.Index(fields=["status", "expires_at"], name="access_export_expiry"),
        ]

    def __str__(self):
        return f"access export #{self.pk}"


class ErasureRecord(models.Model):
    """The erasure ledger: one row per erasure, holding only keyed hashes of the identifiers.

    ``identifier_hashes`` are HMAC-SHA256 hex digests (key from settings, ``key_id`` names it) of
    every normalised identifier the person had (E.164 numbers, lower-cased e-mail), so a restored
    backup can be searched for them again without the ledger itself re-identifying anyone.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    subject_kind = models.CharField(max_length=8, choices=[("lead", "Lead"), ("member", "Member")])
    identifier_hashes = models.JSONField(default=list)
    key_id = models.CharField(max_length=16)
    erased_at = models.DateTimeField()
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data_request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="erasures"
    )
    # What went, counted per kind ({"calls": 12, "notes": 3}): no names, no numbers.
    counts = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["organisation", "erased_at"], name="erasure_ledger")]

    def __str__(self):
        return f"erasure #{self.pk} ({self.subject_kind})"
