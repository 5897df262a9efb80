"""Organisations, people, roles, invitations, tokens and the audit log."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leadtracker.lib.leases import Leased


def hash_secret(secret: str) -> str:
    """Tokens are 256-bit random strings, so a fast hash is enough (no need for a slow KDF)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def normalize_email(self, email):
        return (email or "").strip().lower()

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email: required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in by e-mail (stored lower-cased, so unique case-insensitively)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Pages, e-mails and notifications in this language; empty: the organisation's default.
    language = models.CharField(max_length=8, blank=True, choices=settings.LANGUAGES)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    "Use 1–50 lower-case letters, digits and hyphens, not starting or ending with a hyphen.",
)


def default_audit_retention() -> int:
    return settings.AUDIT_RETENTION_DAYS_DEFAULT


def default_digest_hour() -> int:
    return settings.DIGEST_HOUR


DIGEST_HOURS = [(None, "No digest e-mail"), *((h, f"{h:02d}:00") for h in range(24))]


class Organisation(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=50, unique=True, validators=[slug_validator])
    time_zone = models.CharField(max_length=64, default="Asia/Kolkata")
    phone_region = models.CharField(max_length=2, default="IN", help_text=_("ISO 3166 region"))
    currency = models.CharField(max_length=3, default="INR")
    # The language of the members who chose none (accounts/language.py).
    language = models.CharField(max_length=8, default="en-in", choices=settings.LANGUAGES)
    # When an open shift is closed automatically (attendance uses it).
    day_end = models.TimeField(default=dt.time(21, 0))
    support_email = models.EmailField(blank=True)
    support_phone = models.CharField(max_length=32, blank=True)
    audit_retention_days = models.PositiveIntegerField(default=default_audit_retention)
    # Ask for the browser's or phone's location at punch-in and punch-out.
    shift_location = models.BooleanField(default=False)
    # A synced call from a number no lead has creates a lead (named from the phone's contact).
    calls_create_leads = models.BooleanField(default=False)
    # Count usage events (per day and app version, nobody named) for the admins' usage page.
    usage_events = models.BooleanField(default=True)
    # Agents see only the last four digits of numbers of leads that are not theirs.
    mask_other_numbers = models.BooleanField(default=False)
    # Owners and admins must sign in with a second factor (TOTP); until they enrol they
    # reach only the enrolment page.
    require_mfa = models.BooleanField(default=False)
    # The local hour after which managers get yesterday's digest e-mail; empty: none is sent.
    # New organisations start at the server's DIGEST_HOUR.
    digest_hour = models.PositiveSmallIntegerField(
        _("Daily digest e-mail after"),
        null=True,
        blank=True,
        default=default_digest_hour,
        choices=DIGEST_HOURS,
        help_text=_(
            "Managers, admins and owners get yesterday's figures once a day after this hour, "
            "in the organisation's time zone."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return ZoneInfo(self.time_zone)


class Role(models.TextChoices):
    # "role": the same English word names other things ("Owner" of a lead is whose lead it is).
    OWNER = "owner", pgettext_lazy("role", "Owner")
    ADMIN = "admin", pgettext_lazy("role", "Admin")
    MANAGER = "manager", pgettext_lazy("role", "Manager")
    AGENT = "agent", pgettext_lazy("role", "Agent")


# Higher rank may do everything a lower one may.
ROLE_RANK = {Role.AGENT: 1, Role.MANAGER: 2, Role.ADMIN: 3, Role.OWNER: 4}


class Membership(models.Model):
    """A person's place in one organisation: role, manager, and whether it is active."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user"),
        ]
        indexes = [models.Index(fields=["organisation", "reports_to"])]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def rank(self) -> int:
        return ROLE_RANK[Role(self.role)]

    def has_role(self, minimum: str) -> bool:
        return self.rank >= ROLE_RANK[Role(minimum)]

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    reports_to = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self):
        return f"invitation {self.pk} ({self.role}, {self.state})"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("Personal API token")
    DEVICE = "device", _("Device token")


class ApiToken(models.Model):
    """A bearer token acting for one user in one organisation. Only its hash is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tokens")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=16, choices=TokenKind.choices, default=TokenKind.PERSONAL)
    name = models.CharField(max_length=100)
    # The first characters of the token, shown so a person can tell tokens apart.
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "user"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ActorKind(models.TextChoices):
    USER = "user", pgettext_lazy("actor", "User")
    DEVICE = "device", pgettext_lazy("actor", "Device")
    SYSTEM = "system", pgettext_lazy("actor", "System")


class AuditEventQuerySet(models.QuerySet):
    # The audit log is append-only: the app never changes or removes events, except the
    # retention purge, which goes through purge_expired() with its own explicit flag.
    def update(self, **kwargs):
        raise PermissionError("audit events are append-only")

    def delete(self):
        raise PermissionError("audit events are append-only; use purge_expired()")

    def purge_expired(self, *, before):
        return models.QuerySet.delete(self.filter(at__lt=before))


class AuditEvent(models.Model):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Which fields changed and non-personal values (roles, ids, flags) — never names,
    # phone numbers or e-mail addresses, so erasure never has to rewrite the log.
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            models.Index(fields=["organisation", "object_type", "object_id"]),
        ]
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action} {self.object_type} {self.object_id} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")


class PeriodicJobRun(Leased):
    """When each periodic job last fired, so several workers never fire it twice. Rows of
    work done once a period for one person (a digest) are leased while it is being done, and
    a row per running worker ("worker.<holder>") is leased for as long as it lives."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self):
        return self.name


class Notification(models.Model):
    """An in-app message for one person in one organisation (reminders, alerts)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "user", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self):
        return self.text


class RateCounter(models.Model):
    """Requests counted per client and fixed time window, for API throttling. One upsert per
    request (see accounts/throttle.py); old windows are purged by a periodic job."""

    key = models.CharField(max_length=100)
    window = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)
    ends_at = models.BigIntegerField(help_text=_("end of the window, seconds since the epoch"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_counter_slot")]
        indexes = [models.Index(fields=["ends_at"], name="rate_counter_ends")]

    def __str__(self):
        return f"{self.key}@{self.window}: {self.hits}"


class SupportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("support request", "Open")
    ANSWERED = "answered", pgettext_lazy("support request", "Answered")
    CLOSED = "closed", pgettext_lazy("support request", "Closed")


class SupportRequest(models.Model):
    """A member's question to the organisation's admins, and the admins' written answer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="support_requests")
    requester = models.ForeignKey(User, on_delete=models.CASCADE, related_name="support_requests")
    subject = models.CharField(max_length=150)
    message = models.TextField()
    status = models.CharField(max_length=16, choices=SupportStatus.choices, default=SupportStatus.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="support_queue"),
            models.Index(fields=["organisation", "requester", "-created_at"], name="support_mine"),
        ]

    def __str__(self):
        return f"support request {self.pk} ({self.status})"


class TotpDevice(models.Model):
    """A person's authenticator app (RFC 6238). One per person: MFA belongs to the login, not
    to an organisation. The shared secret is kept sealed (see accounts/mfa.py)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret_sealed = models.CharField(max_length=200)
    # Unconfirmed until the person types a code from the app: only then does login ask for one.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The newest time step accepted; a code of this step or an older one is never accepted again.
    last_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"authenticator of user {self.user_id} ({'on' if self.confirmed_at else 'pending'})"


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost. Only a keyed hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self):
        return f"recovery code {self.pk} of user {self.user_id}"


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` (accounts/idempotency.py),
    kept for a day so that a resend — a phone back online, a double tap — gets that answer
    instead of doing the write again. A row with status 0 is a write still being handled."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=300, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(default=timezone.now)

    # An answer's body may name a lead (the API answers with the lead it created).
    personal_data = {"lead": ("body",)}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_age")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"


class PushKind(models.TextChoices):
    """What a notification on the phone is about: each can be turned off on its own."""

    # Short: each label fits beside its switch on a 360 px phone.
    FOLLOW_UP = "follow_up", _("Follow-up due")
    ASSIGNED = "assigned", _("New lead for me")
    MISSED_CALL = "missed_call", _("Missed call to return")
    CALL_BACK = "call_back", _("Call-back waiting 30 min")
    DIGEST = "digest", _("Daily digest")
    CALL_ENDED = "call_ended", _("After a call: how did it go?")
    OTHER = "other", _("Everything else")


class PushPreference(models.Model):
    """Which kinds a member wants on their phones, and whether also off shift. No row: every
    kind, on shift only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kinds_off = models.JSONField(default=list, blank=True)
    off_shift = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="push_preference_member")
        ]

    def __str__(self):
        return f"push preference of {self.user_id}"


class PushSubscription(models.Model):
    """One browser's Web Push subscription (RFC 8030/8291): where to send and the keys to
    encrypt for it. Removed when turned off or when the push service says it is gone."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "endpoint"], name="push_subscription_browser"
            )
        ]

    def __str__(self):
        return f"push subscription {self.pk}"
