"""Roll-ups: what the dashboards read instead of the raw calls.

One row per organisation, person and day (the organisation's time zone), and one per hour of
that day for the calls-by-hour chart. They hold counts and durations only — no number, no
lead — so they outlive the calls that retention purges and the leads that are erased.
Every figure is recomputed from the raw rows of its person-day (reports/rollups.py), so a
row is always what a direct aggregate over the raw tables gives.
"""

from django.conf import settings
from django.db import models

from leadtracker.accounts.models import Organisation


class CallFigures(models.Model):
    """Counts of calls by status (calls.CallStatus values) and direction, and talk time."""

    calls = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    connected = models.PositiveIntegerField(default=0)
    not_connected = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    blocked = models.PositiveIntegerField(default=0)
    voicemail = models.PositiveIntegerField(default=0)
    answered_elsewhere = models.PositiveIntegerField(default=0)
    calls_in = models.PositiveIntegerField(default=0)
    calls_out = models.PositiveIntegerField(default=0)
    # Seconds of the calls with a conversation (calls.TALKED); others last 0 s or ring time.
    talk_seconds = models.PositiveBigIntegerField(default=0)
    # Calls with a conversation shorter than SHORT_CALL_S: one of the gaming signals.
    short_calls = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class UserDay(CallFigures):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # Distinct leads this person called (or was called by) this day.
    unique_leads = models.PositiveIntegerField(default=0)
    # Most outgoing calls to one lead (or, with no lead, one number) this day ("the same
    # number dialled over and over").
    max_same_number = models.PositiveIntegerField(default=0)
    first_call_at = models.DateTimeField(null=True, blank=True)
    last_call_at = models.DateTimeField(null=True, blank=True)
    # Missed calls that rang this person's phone this day and opened a call-back (or were
    # folded into one): returned since, or still waiting.
    missed_returned = models.PositiveIntegerField(default=0)
    missed_not_returned = models.PositiveIntegerField(default=0)
    # The wait of each returned one, in seconds, sorted: exact and mergeable, so the median
    # over any range and any team is the median of the concatenated lists.
    return_seconds = models.JSONField(default=list, blank=True)
    # Closed shifts' time inside this day (a shift over midnight is split between days).
    shift_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "day"], name="user_day_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "day"], name="user_day_org_day")]

    def __str__(self):
        return f"user {self.user_id} on {self.day}"


class UserHour(CallFigures):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hour = models.PositiveSmallIntegerField()  # 0–23, the organisation's time zone

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "day", "hour"], name="user_hour_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "day"], name="user_hour_org_day")]

    def __str__(self):
        return f"user {self.user_id} on {self.day} {self.hour}h"


class LeadCount(models.Model):
    """How many leads each owner has in each status: the funnel reads this, not the leads.

    Kept by database triggers on ``leads_lead`` (migration 0002), not by Python code: every
    way a lead is written — actions, bulk ``update()``, COPY during imports, cascades, raw SQL
    in a migration — changes the count in the same statement's transaction, so the table is
    right by construction. ``owner_id`` is the owner's user id, 0 for nobody (a NULL would
    never conflict in the unique key). Neither id is a foreign key: a status or an owner that
    goes only leaves a row at 0, and an organisation's deletion removes its rows in any order.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    owner_id = models.BigIntegerField()
    status_id = models.BigIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "owner_id", "status_id"], name="lead_count_unique"
            ),
        ]

    def __str__(self):
        return f"{self.n} leads of owner {self.owner_id} in status {self.status_id}"
