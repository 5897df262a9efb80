"""Automation rules: when something happens to a lead (or a time passes), if the lead fits, do
something — through the apps' own actions. RuleRun is the log, and what makes a rule fire once."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leadtracker.accounts.models import Organisation


class Trigger(models.TextChoices):
    LEAD_CREATED = "lead_created", _("A lead is created")
    STATUS_CHANGED = "status_changed", _("A lead's status changes")
    OUTCOME_RECORDED = "outcome_recorded", _("An outcome is recorded")
    CALL_MISSED = "call_missed", _("A call from the lead is missed")
    NOT_CALLED = "not_called", _("Assigned N minutes ago and not called")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("A follow-up is overdue by N minutes")
    UNTOUCHED = "untouched", _("Untouched for N days")


# Found by the periodic scan rather than told by a signal: these have no moment of their own.
TIME_BASED = frozenset({Trigger.NOT_CALLED, Trigger.FOLLOW_UP_OVERDUE, Trigger.UNTOUCHED})


class Rule(models.Model):
    """``conditions``: {"source_ids", "status_ids", "owner_ids", "team_id", "tag_ids",
    "outcome_ids", "outcome_times", "hours": [from, to], "on_shift"} — each optional, all must
    hold. ``actions``: a list of {"type": "assign" | "set_status" | "follow_up" | "add_tag" |
    "remove_tag" | "notify" | "webhook", …} (automation/rules.py checks both)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    # N of the time-based triggers, in minutes (untouched for 3 days is 4320).
    wait_minutes = models.PositiveIntegerField(default=0)
    conditions = models.JSONField(default=dict, blank=True)
    actions = models.JSONField(default=list)
    # Round-robin assignment: how many leads this rule has handed out.
    turn = models.PositiveBigIntegerField(default=0)
    # The time-based scan's place in its index: events up to (scanned_at, scanned_id) are seen.
    # Set when the rule is switched on, a day back, so a new rule does not act on years of leads.
    scanned_at = models.DateTimeField(null=True, blank=True)
    scanned_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="rule_unique_name")]
        indexes = [models.Index(fields=["organisation", "trigger", "is_active"], name="rule_trigger")]

    def __str__(self):
        return self.name

    @property
    def time_based(self) -> bool:
        return self.trigger in TIME_BASED


class RuleRun(models.Model):
    """One rule fired on one lead for one event. The unique key is the idempotency: a retried
    task, a second worker or a rescan inserts nothing and does nothing. ``did`` holds ids and
    flags only ({"type": "assign", "to": 7}); names are read when the log is shown."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="runs")
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=80)
    fired_at = models.DateTimeField(default=timezone.now)
    did = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "rule", "lead", "event"], name="rule_run_once")
        ]
        indexes = [
            models.Index(fields=["lead", "-fired_at"], name="rule_run_lead"),
            models.Index(fields=["organisation", "rule", "-fired_at"], name="rule_run_log"),
        ]

    def __str__(self):
        return f"rule {self.rule_id} on lead {self.lead_id} ({self.event})"
