"""Leads, their pipeline, numbers, tags, timeline, follow-ups and assignment rules."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leadtracker.accounts.models import Organisation
from leadtracker.leads import colours
from leadtracker.leads.fields.models import CustomField  # noqa: F401  (Django finds it here)
from leadtracker.lib.leases import Leased


class StatusKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class LeadStatus(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="lead_statuses")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=8, choices=StatusKind.choices, default=StatusKind.OPEN)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # A name from leads/colours.PALETTE; empty: the default for its kind and place.
    colour = models.CharField(max_length=12, blank=True, choices=colours.CHOICES)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="status_unique_name")]
        verbose_name_plural = "lead statuses"

    def __str__(self):
        return self.name

    @property
    def chip(self) -> str:
        return self.colour or colours.status_default(self.kind, self.position)


class LeadSource(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="lead_sources")
    name = models.CharField(max_length=80)
    # Web capture: the key in POST /api/v1/capture/{key}. Not a secret in the strict sense
    # (it sits in a public web form), so it is stored as is and can be rotated.
    capture_key = models.CharField(max_length=40, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    colour = models.CharField(max_length=12, blank=True, choices=colours.CHOICES)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="source_unique_name"),
            models.UniqueConstraint(
                fields=["capture_key"], condition=~Q(capture_key=""), name="source_unique_capture_key"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def chip(self) -> str:
        return self.colour or colours.source_default(self.pk or 0)


class Tag(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="tag_unique_name")]

    def __str__(self):
        return self.name


# What a company name is compared without, so "Acme Pvt. Ltd.", "ACME PVT LTD" and
# "acme-pvt-ltd" are one company to the duplicate finder. Spaces go too: "Sai Traders" and
# "SaiTraders" are typed for the same shop.
COMPANY_IGNORED_CHARACTERS = " \u00a0\t.,-_'\u2019\"&()/\\:;!?"


def company_key_expression():
    # Computed by the database (a generated column), so every writer — imports, bulk
    # statements, raw COPY in the benchmarks — keeps it right without remembering to.
    # LOWER is ASCII-only on SQLite and Unicode-aware on PostgreSQL; Indian scripts have no
    # case, and each database compares its own keys, so the difference never mixes.
    expression = F("company")
    for character in COMPANY_IGNORED_CHARACTERS:
        expression = Replace(expression, Value(character), Value(""))
    return Lower(expression)


class Lead(models.Model):
    # No index of its own: every index below starts with the organisation (migration 0017).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="leads", db_index=False
    )
    name = models.CharField(max_length=200, blank=True)
    company = models.CharField(max_length=200, blank=True)
    # Lower-cased; unique per organisation when present (see constraints).
    email = models.CharField(max_length=254, blank=True)
    # The main number, E.164, copied from the first LeadPhone for lists and links;
    # LeadPhone holds every number and enforces one lead per number.
    phone = models.CharField(max_length=20, blank=True)
    phone_raw = models.CharField(max_length=64, blank=True)
    city = models.CharField(max_length=100, blank=True)
    address = models.TextField(blank=True)
    source = models.ForeignKey(LeadSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # RESTRICT: a status in use cannot be deleted on its own, but goes with its organisation.
    status = models.ForeignKey(LeadStatus, on_delete=models.RESTRICT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_leads"
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    tags = models.ManyToManyField(Tag, through="LeadTag", related_name="leads", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_contacted_at = models.DateTimeField(null=True, blank=True)
    next_follow_up_at = models.DateTimeField(null=True, blank=True)
    do_not_call = models.BooleanField(default=False)
    marketing_consent = models.BooleanField(default=False)
    lost_reason = models.CharField(max_length=200, blank=True)
    # Set when the lead's personal data was erased (privacy): the row stays, anonymised, so that
    # counts, durations, the funnel and conversion by source still add up.
    erased_at = models.DateTimeField(null=True, blank=True)
    # Columns an import brought that have no field of their own (ad ids, form names …).
    extra = models.JSONField(default=dict, blank=True)
    # The organisation's own fields, {CustomField.key: value} (leads/fields/; why JSON: docs/decisions.md).
    # db_default: rows written by hand (imports, the trash, benchmarks) need not name it.
    custom_fields = models.JSONField(default=dict, db_default={}, blank=True)
    # The company as the duplicate finder compares it: the database groups leads by it.
    company_key = models.GeneratedField(
        expression=company_key_expression(),
        output_field=models.CharField(max_length=200),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], condition=~Q(email=""), name="lead_unique_email"
            ),
        ]
        indexes = [
            # The agent's list: my leads in a status, next follow-up first.
            models.Index(
                fields=["organisation", "owner", "status", "next_follow_up_at", "id"],
                name="lead_owner_status_next",
            ),
            models.Index(
                fields=["organisation", "status", "next_follow_up_at", "id"], name="lead_status_next"
            ),
            models.Index(fields=["organisation", "next_follow_up_at", "id"], name="lead_next"),
            # The list by creation (keyset on created_at, id) and, from the index alone, the
            # dashboard's conversion by source: leads created in a range, per source and status,
            # for everyone or some owners (reports.selectors.conversion_by_source).
            models.Index(
                fields=["organisation", "created_at", "id", "owner", "source", "status"], name="lead_created"
            ),
            models.Index(fields=["organisation", "updated_at", "id"], name="lead_updated"),
            models.Index(fields=["organisation", "source"], name="lead_source"),
            # The duplicate finder's GROUP BY company (newest group first), read from the index.
            models.Index(
                fields=["organisation", "company_key", "id"],
                name="lead_company_key",
                condition=~Q(company_key=""),
            ),
        ]

    def __str__(self):
        return self.name or self.company or self.email or self.phone or f"Lead {self.pk}"

    @property
    def display_name(self) -> str:
        return str(self)


def reversed_digits(e164: str) -> str:
    return e164.lstrip("+")[::-1]


class LeadPhone(models.Model):
    """Every number of a lead. One lead per number per organisation — by constraint."""

    # Indexed as the first column of lead_phone_unique and lead_phone_suffix (migration 0017).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="phones")
    e164 = models.CharField(max_length=20)
    raw = models.CharField(max_length=64, blank=True)
    # The digits reversed, so "ends with 43210" is a range scan on an index (both databases).
    digits_reversed = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "e164"], name="lead_phone_unique")]
        indexes = [models.Index(fields=["organisation", "digits_reversed"], name="lead_phone_suffix")]

    def __str__(self):
        return self.e164

    def save(self, *args, **kwargs):
        self.digits_reversed = reversed_digits(self.e164)
        super().save(*args, **kwargs)


class LeadTag(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "lead", "tag"], name="lead_tag_unique")
        ]
        indexes = [models.Index(fields=["organisation", "tag", "lead"], name="lead_tag_by_tag")]

    def __str__(self):
        return f"{self.lead_id}:{self.tag_id}"


class FollowUpKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    WHATSAPP = "whatsapp", _("WhatsApp")


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        """Still to be done: neither done nor cancelled. Agenda, reminders, the lead's next
        follow-up and reassignment all read this one definition."""
        return self.filter(done_at__isnull=True, cancelled_at__isnull=True)


class FollowUp(models.Model):
    """A planned call, meeting, visit or message.

    A follow-up that will not happen is cancelled, not deleted: the lead's timeline already
    says it was planned, and a manager asking "why was this customer never visited?" needs
    the answer — who called it off, when and why — rather than a gap. It leaves the agenda,
    the reminders and the lead's next follow-up like a done one, but is never counted as done
    (that would make an agent's completed work look larger than it was)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="follow_ups")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=FollowUpKind.choices, default=FollowUpKind.CALL)
    due_at = models.DateTimeField()
    note = models.TextField(blank=True)
    remind_minutes_before = models.PositiveIntegerField(default=15)
    # due_at minus the reminder lead time, kept as a column so the worker finds due
    # reminders with an index instead of date arithmetic that differs per database.
    remind_at = models.DateTimeField()
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # How it ended: what happened when done, or why it was called off when cancelled.
    outcome = models.CharField(max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "assignee", "done_at", "due_at"], name="followup_agenda"),
            models.Index(fields=["done_at", "reminder_sent_at", "remind_at"], name="followup_reminders"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.due_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.remind_at = self.due_at - dt.timedelta(minutes=self.remind_minutes_before)
        super().save(*args, **kwargs)

    @property
    def state(self) -> str:
        if self.cancelled_at:
            return "cancelled"
        return "done" if self.done_at else "open"


class ActivityKind(models.TextChoices):
    CREATED = "created", _("Created")
    NOTE = "note", _("Note")
    STATUS = "status", _("Status changed")
    OWNER = "owner", _("Owner changed")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
    FOLLOW_UP_CHANGED = "follow_up_changed", _("Follow-up changed")
    FOLLOW_UP_CANCELLED = "follow_up_cancelled", _("Follow-up cancelled")
    MERGED = "merged", _("Merged")
    UPDATED = "updated", _("Details changed")
    CALL = "call", _("Call")
    RESTORED = "restored", _("Restored from the trash")


class Activity(models.Model):
    """One entry of a lead's timeline. Notes are activities with a body."""

    # Indexed as the first column of activity_kind_at and activity_timeline (migration 0017).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="activities", db_index=False)
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["lead", "-at", "-id"], name="activity_timeline"),
            models.Index(fields=["organisation", "kind", "at"], name="activity_kind_at"),
        ]
        verbose_name_plural = "activities"

    def __str__(self):
        return f"{self.kind} on lead {self.lead_id}"


class AssignmentRule(models.Model):
    """Round-robin among chosen agents, for one source or all. The pointer moves under a row
    lock, so concurrent arrivals take turns and nobody is skipped."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assignment_rules")
    name = models.CharField(max_length=80)
    source = models.ForeignKey(
        LeadSource,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("empty: leads from any source"),
    )
    # Through an explicit table so each row carries the organisation (docs/scaling.md: every
    # table of organisation data is keyed by it). The rotation orders agents by user id, not by
    # this table's rows, so how the rows were written never changes whose turn it is.
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, through="AssignmentRuleAgent", related_name="+")
    # Skip agents who are not punched in; with nobody on shift the lead waits unassigned.
    only_on_shift = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0, help_text=_("rules are tried in this order"))
    # How many leads this rule has handed out: the next goes to agents[turn % len(agents)].
    turn = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class AssignmentRuleAgent(models.Model):
    """An agent who takes turns in a rule. Written only by ``actions.save_assignment_rule``,
    which fills the organisation from the rule."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(AssignmentRule, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "rule", "user"], name="assignment_rule_agent_once"
            )
        ]

    def __str__(self):
        return f"user {self.user_id} in rule {self.rule_id}"


class WebhookEndpoint(models.Model):
    """Where lead events are POSTed, signed with HMAC-SHA256 of the body under ``secret``."""

    EVENTS = ["lead.created", "lead.status_changed", "lead.assigned"]

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64)
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed for good")


class WebhookDelivery(Leased):
    """One event for one endpoint. A worker sending it holds its lease (lib/leases.py): one
    that dies mid-send leaves a lease that lapses, and the delivery is due again."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    # The lead's id only, not its data: the body is built when sent, so an erased lead's
    # personal data never sits in a queue.
    lead = models.ForeignKey(Lead, null=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.endpoint_id} ({self.state})"


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(Leased):
    """An upload and its import. The worker importing it holds its lease (lib/leases.py) and
    commits each batch of leads with the progress below, so a worker that dies leaves a job
    that another resumes at the first record not committed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    file_size = models.PositiveBigIntegerField(default=0)
    headers = models.JSONField(default=list)
    # Column index (as a string) -> lead field name; columns not in it go to lead.extra.
    mapping = models.JSONField(default=dict)
    on_duplicate = models.CharField(max_length=8, default="skip")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.UPLOADED)
    progress = models.FloatField(default=0.0)  # 0..1
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    # Rows imported with a value the organisation could not take as it stood (an unknown
    # status, an owner who is not a member, an amount that does not parse): counted, and the
    # raw value kept on the lead's timeline.
    warnings = models.PositiveIntegerField(default=0)
    # What each distinct value of the status and owner columns becomes:
    # {"status": {"junk lead": <status id>}, "owner": {"ravi kumar": <user id> | "rules" | "none"}}
    value_mapping = models.JSONField(default=dict)
    # The first errors and warnings, shown on the result page; the CSV report holds them all.
    first_issues = models.JSONField(default=list)
    error_report_path = models.CharField(max_length=500, blank=True)
    failure = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many workers took the job: more than one means it was resumed; past MAX_ATTEMPTS
    # (the file kills its worker, say) it is failed rather than tried for ever.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Bytes of the error report written by the committed batches (`rows` counts the records
    # they consumed): a resumed import carries the report over up to this and goes on.
    report_offset = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"import {self.pk} ({self.state})"

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "errors": self.errors,
            "warnings": self.warnings,
        }


class MessageTemplate(models.Model):
    """A message an agent sends from their own phone by WhatsApp or SMS. The server never
    sends it: it only fills in the link the person taps. Placeholders: {name}, {company},
    {agent}, {organisation}, {unsubscribe_url} (the lead's signed link to stop marketing)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="message_templates")
    name = models.CharField(max_length=60)
    body = models.TextField(max_length=1000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="message_template_name")]

    def __str__(self):
        return self.name


class ConsentPurpose(models.TextChoices):
    MARKETING = "marketing", _("Marketing messages")


class ConsentMethod(models.TextChoices):
    FORM = "form", _("Lead form")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    WEB_CAPTURE = "web_capture", _("Web capture")
    MERGE = "merge", _("Merge of two leads")
    UNSUBSCRIBE_LINK = "unsubscribe_link", _("Unsubscribe link")
    PHONE = "phone", _("On the phone")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("By e-mail")
    ADMIN = "admin", _("Recorded by an admin")
    PROFILE = "profile", _("Own profile")


class AppendOnly(Exception):
    """Consent history is evidence: it is added to, never rewritten."""


class ConsentEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # A merge moves the duplicate's history to the primary lead (it walks every model
        # pointing at Lead); that changes whose history it is, not what it says.
        if set(kwargs) - {"lead", "lead_id"}:
            raise AppendOnly("consent events cannot be changed")
        return super().update(**kwargs)

    def delete(self):
        raise AppendOnly("consent events cannot be deleted")

    def erase_for_lead(self, lead) -> int:
        """The erasure path: the free-text note may name the person, so it goes; the rest
        (given or withdrawn, when, how) says nothing about who they were."""
        return models.QuerySet.update(self.filter(lead=lead), note="")

    def erase_for_member(self, membership) -> int:
        return models.QuerySet.update(self.filter(member=membership), note="")


class ConsentEvent(models.Model):
    """Consent given or withdrawn by a lead or a member — append-only history.

    Lead.marketing_consent is the current answer that lists and exports read; these rows say
    how it came to be. A member's consent lives only here (the latest event wins)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="consents")
    member = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(
        max_length=20, choices=ConsentPurpose.choices, default=ConsentPurpose.MARKETING
    )
    given = models.BooleanField()
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    # The privacy-notice version in effect when it happened: what the person was told.
    notice_version = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(lead__isnull=False, member__isnull=True)
                | Q(lead__isnull=True, member__isnull=False),
                name="consent_event_lead_xor_member",
            ),
        ]
        indexes = [
            models.Index(fields=["lead", "purpose", "occurred_at", "id"], name="consent_lead_history"),
            models.Index(fields=["member", "purpose", "occurred_at", "id"], name="consent_member_history"),
        ]

    def __str__(self):
        return f"{self.purpose} {'given' if self.given else 'withdrawn'} ({self.method})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("consent events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("consent events cannot be deleted")


class TrashedLead(models.Model):
    """A deleted lead, kept whole for TRASH_DAYS so that it can be restored (leads/trash/).

    Deleting takes the lead and everything that cascades from it out of the live tables, so no
    list, search, count, export, reminder or call match can see it; ``snapshot`` holds those
    rows as Django serialises them, and the rows of other tables that pointed at the lead and
    were set to empty, so restoring puts them back with their own ids. The columns beside it
    are what the trash page shows and what erasure looks a person up by.
    """

    # The lead's own id: ids are never handed out twice (AUTOINCREMENT on SQLite, a sequence
    # on PostgreSQL), so the restored lead keeps it and links to /leads/<id>/ work again.
    id = models.BigIntegerField(primary_key=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200, blank=True)  # as the list showed it
    # E.164 numbers, space-separated with a space at each end, so that " +91… " is found with
    # a plain substring match on both databases (SQLite has no JSON containment).
    numbers = models.TextField(blank=True)
    email = models.CharField(max_length=254, blank=True)
    # Whose lead it was: who sees it in the trash and may restore it, as for live leads.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField()
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purge_after = models.DateTimeField()
    snapshot = models.JSONField(default=dict)

    # Everything here is the lead's: the snapshot is its whole record.
    personal_data = {"lead": ["name", "numbers", "email", "snapshot"]}

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "-deleted_at", "id"], name="trash_list"),
            models.Index(fields=["purge_after"], name="trash_purge"),
        ]

    def __str__(self):
        return self.name or f"Lead {self.pk}"

    @property
    def number_list(self) -> list[str]:
        return self.numbers.split()


class SavedView(models.Model):
    """A person's named lead list: its filters and sort (``query``, as the list's address has
    them) and its columns. A manager may share one with their team, who see it and cannot
    change it. The row named "" is the person's own list settings (the column chooser's)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60, blank=True)
    query = models.CharField(max_length=1000, blank=True)
    columns = models.JSONField(default=list, blank=True)
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "owner", "name"], name="saved_view_unique_name")
        ]

    def __str__(self):
        return self.name or "List settings"
