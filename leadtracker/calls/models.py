"""Paired phones (devices), the codes that pair them, and the calls they sync."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    GRANTED = "granted", _("Granted")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Not reported")


class Device(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="devices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    # CASCADE: the token goes only with its organisation (revoking keeps it), and so does the device.
    token = models.OneToOneField(ApiToken, on_delete=models.CASCADE, related_name="device")
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


class CallType(models.TextChoices):
    """What the phone's call log says (sync protocol)."""

    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")
    MISSED = "missed", _("Missed")
    REJECTED = "rejected", _("Rejected")
    BLOCKED = "blocked", _("Blocked")
    VOICEMAIL = "voicemail", _("Voicemail")
    ANSWERED_EXTERNALLY = "answered_externally", _("Answered on another device")


class CallStatus(models.TextChoices):
    """What the server derives from type and duration (sync protocol: Status)."""

    ANSWERED = "answered", pgettext_lazy("a call", "Answered")
    CONNECTED = "connected", _("Connected")
    NOT_CONNECTED = "not_connected", _("Not connected")
    MISSED = "missed", _("Missed")
    REJECTED = "rejected", _("Rejected")
    BLOCKED = "blocked", _("Blocked")
    VOICEMAIL = "voicemail", _("Voicemail")
    ANSWERED_ELSEWHERE = "answered_elsewhere", _("Answered elsewhere")


# A conversation took place: these close a call-back and count as talk time.
TALKED = frozenset({CallStatus.ANSWERED, CallStatus.CONNECTED, CallStatus.ANSWERED_ELSEWHERE})
# The lead tried to reach us and did not: these open a call-back.
UNANSWERED = frozenset({CallStatus.MISSED, CallStatus.REJECTED, CallStatus.VOICEMAIL})


class Direction(models.TextChoices):
    IN = "in", _("Incoming")
    OUT = "out", _("Outgoing")


class CallVia(models.TextChoices):
    DEVICE = "device", _("Synced from the phone")
    MANUAL = "manual", _("Logged by hand")
    # Through the organisation's cloud-telephony line (Exotel, Twilio): reported by the provider.
    CLOUD = "cloud", _("Cloud telephony")


class Outcome(models.Model):
    """An outcome an agent records after a call; the list is the organisation's own."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="outcomes")
    name = models.CharField(max_length=60)
    position = models.PositiveIntegerField(default=0)
    # The outcome sheet refuses to save without a next follow-up when this outcome is chosen
    # ("call back later", "no answer"): a lead left with no next step is a lead forgotten.
    asks_follow_up = models.BooleanField(default=False)
    # Recording it moves the lead to this status ("Interested" -> Interested); empty: no move.
    # SET_NULL: a status deleted later just stops being moved to.
    sets_status = models.ForeignKey(
        "leads.LeadStatus", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the person was reached: a call recorded from a lead's sheet without a synced call
    # is logged as connected or not by its outcome, so "No answer" never closes a call-back.
    connected = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="outcome_name")]

    def __str__(self):
        return self.name


DEFAULT_OUTCOMES = [
    ("Interested", True),
    ("Call back later", True),
    ("Not interested", False),
    ("Wrong number", False),
    ("No answer", True),
    ("Switched off / not reachable", True),
    ("Busy", True),
    ("Already bought", False),
]
# The default outcomes that mean nobody was reached, and the statuses others move a lead to
# (when the organisation has a status of that name).
NOT_CONNECTED_OUTCOMES = frozenset({"No answer", "Switched off / not reachable", "Busy"})
OUTCOME_STATUSES = {"Interested": "Interested", "Not interested": "Lost"}


class TalkScript(models.Model):
    """What to say to a lead of one status or one source, written by admins and shown in the
    calling queue. Exactly one of ``status`` and ``source`` is set."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey(
        "leads.LeadStatus", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.ForeignKey(
        "leads.LeadSource", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__isnull=True, source__isnull=False)
                | Q(status__isnull=False, source__isnull=True),
                name="talk_script_one_target",
            ),
            models.UniqueConstraint(
                fields=["organisation", "status"],
                condition=Q(status__isnull=False),
                name="talk_script_status",
            ),
            models.UniqueConstraint(
                fields=["organisation", "source"],
                condition=Q(source__isnull=False),
                name="talk_script_source",
            ),
        ]

    def __str__(self):
        return f"talk script {self.pk}"


class Call(models.Model):
    """One call-log row: metadata only — never audio, never SMS. Stored only when it started
    inside a shift of its person (sync protocol: Shift window)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calls")
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    # The phone's call-log row id; "" when the source has none (then number + second + type).
    device_call_id = models.CharField(max_length=64, blank=True)
    # E.164 when the number is valid; what the phone had (digits) when it is not, e.g. a
    # service short code; "" when withheld.
    number = models.CharField(max_length=32, blank=True)
    country_iso = models.CharField(max_length=2, blank=True)
    type = models.CharField(max_length=20, choices=CallType.choices)
    status = models.CharField(max_length=20, choices=CallStatus.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    # Whole seconds: the second is part of the call's identity.
    started_at = models.DateTimeField()
    duration_s = models.PositiveIntegerField(default=0)
    # The phone account: a slot number, or on some phones the SIM's ICCID (20 digits).
    sim = models.CharField(max_length=64, blank=True)
    via = models.CharField(max_length=8, choices=CallVia.choices, default=CallVia.DEVICE)
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The outcome sheet's one-time key (a hidden field): the same sheet sent twice finds the
    # call it already saved instead of recording, and planning a follow-up, a second time.
    outcome_key = models.CharField(max_length=40, blank=True, default="", db_default="")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Idempotency, held by the database so concurrent resends cannot both store a call.
            models.UniqueConstraint(
                fields=["organisation", "device", "device_call_id"],
                condition=~Q(device_call_id=""),
                name="call_device_row",
            ),
            models.UniqueConstraint(
                fields=["organisation", "user", "number", "started_at", "type"], name="call_same_call"
            ),
            models.UniqueConstraint(
                fields=["organisation", "outcome_key"], condition=~Q(outcome_key=""), name="call_outcome_key"
            ),
            # A cloud-telephony call is its provider's call id (in device_call_id, "exotel:<CallSid>"):
            # the provider's retries and later status updates find it instead of storing it again.
            models.UniqueConstraint(
                fields=["organisation", "device_call_id"], condition=Q(via="cloud"), name="call_line_id"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "started_at", "id"], name="call_org_time"),
            models.Index(fields=["organisation", "user", "started_at", "id"], name="call_user_time"),
            models.Index(fields=["organisation", "number", "started_at"], name="call_number_time"),
            models.Index(fields=["lead", "started_at"], name="call_lead_time"),
            # Who recorded outcomes when: the calling queue's "dealt with today" and its count.
            models.Index(
                fields=["organisation", "disposed_by", "disposed_at"],
                condition=Q(disposed_at__isnull=False),
                name="call_disposed",
            ),
        ]

    def __str__(self):
        return f"{self.type} call {self.pk}"

    @property
    def talked(self) -> bool:
        return self.status in TALKED


class CallBack(models.Model):
    """A missed call waiting to be returned: from a lead, or from a number that is no lead
    (``lead`` empty; it attaches to the lead once one is made for the number). The next call
    with a conversation with that number, either way, by anyone, closes it and records how
    long the caller waited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="call_backs"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.CharField(max_length=32)
    missed_call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    missed_at = models.DateTimeField()
    last_missed_at = models.DateTimeField()
    missed_count = models.PositiveIntegerField(default=1)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_call = models.ForeignKey(Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    seconds_to_return = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                condition=Q(closed_at__isnull=True),
                name="one_open_call_back",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "closed_at", "missed_at"], name="call_back_open"),
            models.Index(
                fields=["organisation", "assignee", "closed_at", "missed_at"], name="call_back_mine"
            ),
        ]

    def __str__(self):
        return f"call-back {self.pk}"


class UsageDay(models.Model):
    """Usage data, counted per organisation, day, event and app version — no person in it.
    Switchable off per organisation; purged after USAGE_RETENTION_DAYS."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    event = models.CharField(max_length=40)
    app_version = models.CharField(max_length=60, blank=True)
    os = models.CharField(max_length=60, blank=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "event", "app_version", "os"], name="usage_day_unique"
            )
        ]

    def __str__(self):
        return f"{self.event} on {self.day}: {self.count}"

    @staticmethod
    def day_of(moment=None):
        """The day a counter counts on: the server's date (TIME_ZONE), whatever zone a page has
        switched to for its organisation (a phone's sync switches to none), so counting, the
        usage page and the purge keep one calendar."""
        return timezone.localdate(moment, timezone=timezone.get_default_timezone())
