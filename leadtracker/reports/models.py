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


class OrganisationDay(CallFigures):
    """A whole organisation's day: the sum of its person-days (``UserDay``) in every additive
    figure, so the organisation's dashboard reads 30 rows for 30 days instead of 6,000.

    Kept by database triggers on ``reports_userday`` (migration 0003), like ``LeadCount``: every
    path that writes a person-day (a sync batch's increments, a recount, the rebuild, a merge,
    an erasure, a person's deletion) changes this row in the same statement's transaction.
    Not here, because they are not sums: the first and last call (read from the person-days of
    the range's first and last day that has calls), the most dials to one number, the waits.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    unique_leads = models.PositiveIntegerField(default=0)
    missed_returned = models.PositiveIntegerField(default=0)
    missed_not_returned = models.PositiveIntegerField(default=0)
    shift_seconds = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="organisation_day_unique"),
        ]

    def __str__(self):
        return f"organisation {self.organisation_id} on {self.day}"


class OrganisationHour(CallFigures):
    """A whole organisation's hour: the sum of its person-hours (``UserHour``), kept by triggers
    on ``reports_userhour`` (migration 0003): 720 rows for 30 days instead of ~60,000."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hour = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day", "hour"], name="organisation_hour_unique"),
        ]

    def __str__(self):
        return f"organisation {self.organisation_id} on {self.day} {self.hour}h"


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


class CreatedCount(models.Model):
    """How many leads were created each day (UTC), by source and status now: conversion by
    source reads this for a whole organisation, not the range's leads (82,000 in 30 days at a
    million leads).

    Kept by database triggers on ``leads_lead`` (migration 0004), like ``LeadCount``. The day is
    UTC because a trigger in SQLite knows no time zone: a range of local days is its whole UTC
    days read here and the two partial days at its ends counted from the leads
    (selectors.conversion_by_source). ``source_id`` 0 is no source. Not foreign keys, as in
    ``LeadCount``: a deleted source's leads move to 0 by their own update.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    source_id = models.BigIntegerField()
    status_id = models.BigIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "source_id", "status_id"], name="created_count_unique"
            ),
        ]

    def __str__(self):
        return f"{self.n} leads created on {self.day} from source {self.source_id} in status {self.status_id}"


class FollowUpDueCount(models.Model):
    """How many leads have their next follow-up due on each day (UTC): the dashboard's overdue
    tile for a whole organisation sums the days before today's from here and counts only today's
    due leads live (175,000 index entries read a page at a million leads before).

    An overdue count cannot itself be kept: a follow-up becomes overdue by the clock, not by a
    write. What is kept is when each lead is due, which only writes change. Kept by database
    triggers on ``leads_lead`` (migration 0005), like ``CreatedCount``; the day is UTC for the
    same reason (a SQLite trigger knows no time zone). Leads without a follow-up are not counted.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="follow_up_due_count_unique"),
        ]

    def __str__(self):
        return f"{self.n} leads due for a follow-up on {self.day}"


class OpenCallBackCount(models.Model):
    """How many call-backs are open (not yet returned) per assignee: the dashboard's "missed
    calls waiting" tile for a whole organisation sums these rows instead of counting the open
    call-backs (~155,000 at ten million calls). A call-back opens and closes by writes, so a
    plain count is exact. Kept by database triggers on ``calls_callback`` (migration 0005).
    ``assignee_id`` is the user id, 0 for nobody; not a foreign key, as in ``LeadCount``.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    assignee_id = models.BigIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "assignee_id"], name="open_call_back_count_unique"
            ),
        ]

    def __str__(self):
        return f"{self.n} open call-backs of assignee {self.assignee_id}"
