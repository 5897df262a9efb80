"""The exporters of the sales work: leads and what hangs off them, calls, devices."""

from pathlib import Path

from django.db.models import Q

from leadtracker.automation.models import RuleRun
from leadtracker.calls.models import Call, CallBack, Device, PairingCode
from leadtracker.integrations.models import Payload
from leadtracker.leads.models import (
    Activity,
    AssignmentRule,
    FollowUp,
    ImportJob,
    Lead,
    LeadPhone,
    LeadTag,
    SavedView,
    WebhookDelivery,
)
from leadtracker.privacy.export.values import person_name, plain, stream, value


def lead_numbers(subject) -> list[str]:
    if "numbers" not in subject.cache:
        numbers = list(LeadPhone.objects.filter(lead=subject.lead).values_list("e164", flat=True))
        if subject.lead.phone and subject.lead.phone not in numbers:
            numbers.append(subject.lead.phone)
        subject.cache["numbers"] = numbers
    return subject.cache["numbers"]


def identifiers(subject) -> list[str]:
    """The lead's unique identifiers as they would appear in free text or a payload: its
    numbers (E.164 and the national digits) and its e-mail. Not its name: two people share
    names, and another Ravi's task must not land in this Ravi's export."""
    needles = list(lead_numbers(subject))
    needles += [n[3:] for n in needles if n.startswith("+91")]
    if subject.lead.email:
        needles.append(subject.lead.email)
    return needles


def lead_calls_qs(subject):
    """The lead's calls: linked to it, or to one of its numbers and left unlinked (a call from
    a number before the lead was made, when the organisation does not create leads from calls)."""
    numbers = lead_numbers(subject)
    q = Q(lead=subject.lead)
    if numbers:
        q |= Q(lead__isnull=True, number__in=numbers)
    return Call.objects.filter(q, organisation=subject.org)


def lead_row(subject):
    lead = Lead.objects.select_related("source", "status", "owner").get(pk=subject.lead.pk)
    yield plain(
        lead,
        [
            "id",
            "name",
            "company",
            "email",
            "phone",
            "phone_raw",
            "city",
            "address",
            "source",
            "status",
            "owner",
            "value",
            "created_at",
            "updated_at",
            "last_contacted_at",
            "next_follow_up_at",
            "do_not_call",
            "marketing_consent",
            "lost_reason",
            "erased_at",
            "extra",
            "custom_fields",
        ],
        subject.tz,
        source_name=lead.source.name if lead.source_id else "",
        status_name=lead.status.name,
        owner_name=person_name(lead.owner),
    )


def member_owned_leads(subject):
    # Which leads were theirs is the member's work record; the leads' own data is not theirs.

    qs = Lead.objects.filter(organisation=subject.org, owner_id=subject.user_id).order_by("pk")
    for lead in stream(qs.only("id", "created_at", "owner_id")):
        yield {"id": lead.pk, "relation": "owner", "created_at": value(lead.created_at, subject.tz)}


def lead_phones(subject):
    for p in stream(LeadPhone.objects.filter(lead=subject.lead).order_by("position", "pk")):
        yield plain(p, ["id", "e164", "raw", "position"], subject.tz)


def lead_tags(subject):
    for t in LeadTag.objects.filter(lead=subject.lead).select_related("tag").order_by("tag__name"):
        yield {"tag_id": t.tag_id, "name": t.tag.name}


FOLLOW_UP_FIELDS = [
    "id",
    "lead",
    "kind",
    "due_at",
    "remind_minutes_before",
    "remind_at",
    "reminder_sent_at",
    "done_at",
    "cancelled_at",
    "created_at",
]


def lead_follow_ups(subject):
    qs = FollowUp.objects.filter(lead=subject.lead).select_related("assignee", "created_by", "cancelled_by")
    for f in stream(qs.order_by("due_at", "pk")):
        yield plain(
            f,
            [*FOLLOW_UP_FIELDS, "note", "outcome"],
            subject.tz,
            assignee=person_name(f.assignee),
            created_by=person_name(f.created_by),
            cancelled_by=person_name(f.cancelled_by),
        )


def member_follow_ups(subject):
    uid = subject.user_id
    qs = FollowUp.objects.filter(organisation=subject.org).filter(
        Q(assignee_id=uid) | Q(created_by_id=uid) | Q(cancelled_by_id=uid)
    )
    for f in stream(qs.order_by("due_at", "pk")):
        # The note and outcome speak of the lead: they are in the lead's export, not here.
        roles = [r for r, fk in (("assignee", f.assignee_id), ("created", f.created_by_id)) if fk == uid]
        if f.cancelled_by_id == uid:
            roles.append("cancelled")
        yield plain(f, FOLLOW_UP_FIELDS, subject.tz, their_part=" ".join(roles))


def lead_activities(subject):
    qs = Activity.objects.filter(lead=subject.lead).select_related("actor").order_by("at", "pk")
    for a in stream(qs):
        yield plain(
            a, ["id", "kind", "at", "body", "data", "follow_up"], subject.tz, actor=person_name(a.actor)
        )


def member_activities(subject):
    qs = Activity.objects.filter(organisation=subject.org, actor_id=subject.user_id).order_by("at", "pk")
    for a in stream(qs.only("id", "lead_id", "kind", "at")):
        yield plain(a, ["id", "lead", "kind", "at"], subject.tz)


def member_assignment_rules(subject):
    qs = AssignmentRule.objects.filter(organisation=subject.org, agents=subject.user_id).select_related(
        "source"
    )
    for r in qs.order_by("position", "pk"):
        yield plain(
            r,
            ["id", "name", "only_on_shift", "is_active"],
            subject.tz,
            source_name=r.source.name if r.source_id else "",
        )


def member_saved_views(subject):
    qs = SavedView.objects.filter(organisation=subject.org, owner_id=subject.user_id)
    for v in qs.order_by("pk"):
        yield plain(v, ["id", "name", "query", "columns", "shared", "created_at"], subject.tz)


def lead_rule_runs(subject):
    # Which automation rule fired on the lead, when and on what event; what it did, by ids.
    qs = RuleRun.objects.filter(lead=subject.lead).select_related("rule")
    for r in stream(qs.order_by("fired_at", "pk")):
        yield plain(r, ["id", "event", "fired_at", "did"], subject.tz, rule=r.rule.name)


def lead_webhook_deliveries(subject):
    qs = (
        WebhookDelivery.objects.filter(lead=subject.lead)
        .select_related("endpoint")
        .order_by("created_at", "pk")
    )
    for d in stream(qs):
        yield plain(
            d,
            ["id", "event", "data", "state", "attempts", "last_status_code", "created_at", "delivered_at"],
            subject.tz,
            endpoint_url=d.endpoint.url if d.endpoint_id else "",
        )


def member_imports(subject):
    uid = subject.user_id
    qs = ImportJob.objects.filter(organisation=subject.org).filter(Q(created_by_id=uid) | Q(owner_id=uid))
    for j in stream(qs.order_by("created_at", "pk")):
        yield plain(
            j,
            ["id", "created_at", "file_name", "state", "rows", "created", "updated", "duplicates", "errors"],
            subject.tz,
            their_part="ran it" if j.created_by_id == uid else "new leads given to them",
        )


def lead_imports(subject):
    """Import jobs whose kept error report names one of the lead's numbers or its e-mail:
    the only import data that can still mention a person once the import is done (the uploaded
    file is deleted after a few days, with the report)."""
    needles = identifiers(subject)
    if not needles:
        return
    qs = ImportJob.objects.filter(organisation=subject.org).exclude(error_report_path="")
    for j in qs.order_by("created_at", "pk"):
        try:
            text = Path(j.error_report_path).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        lines = [line for line in text.splitlines()[1:] if any(n in line for n in needles)]
        if lines:
            yield plain(j, ["id", "created_at", "file_name"], subject.tz, error_rows="\n".join(lines))


# --- calls ---------------------------------------------------------------------------------

CALL_FIELDS = ["id", "lead", "type", "status", "direction", "started_at", "duration_s", "via", "disposed_at"]


def lead_calls(subject):
    qs = lead_calls_qs(subject).select_related("user", "outcome", "disposed_by")
    ids = []
    for c in stream(qs.order_by("started_at", "pk")):
        ids.append(c.pk)
        yield plain(
            c,
            [*CALL_FIELDS, "number", "country_iso", "sim", "note"],
            subject.tz,
            agent=person_name(c.user),
            outcome=c.outcome.name if c.outcome_id else "",
            disposed_by=person_name(c.disposed_by),
        )
    subject.cache["call_ids"] = ids


def member_calls(subject):
    """Calls they made or took, without the other party's number or the note: those are the
    lead's data (in the lead's export); the lead's id says which record it belongs to."""
    qs = Call.objects.filter(organisation=subject.org, user_id=subject.user_id).select_related("outcome")
    for c in stream(qs.order_by("started_at", "pk")):
        yield plain(
            c,
            [*CALL_FIELDS, "device", "sim", "received_at"],
            subject.tz,
            outcome=c.outcome.name if c.outcome_id else "",
        )


CALL_BACK_FIELDS = [
    "id",
    "lead",
    "missed_call",
    "missed_at",
    "last_missed_at",
    "missed_count",
    "closed_at",
    "closing_call",
    "seconds_to_return",
    "created_at",
]


def lead_call_backs(subject):
    numbers = lead_numbers(subject)
    q = Q(lead=subject.lead)
    if numbers:
        q |= Q(lead__isnull=True, number__in=numbers)
    qs = CallBack.objects.filter(q, organisation=subject.org).select_related("assignee")
    for cb in stream(qs.order_by("missed_at", "pk")):
        yield plain(cb, [*CALL_BACK_FIELDS, "number"], subject.tz, assignee=person_name(cb.assignee))


def member_call_backs(subject):
    qs = CallBack.objects.filter(organisation=subject.org, assignee_id=subject.user_id)
    for cb in stream(qs.order_by("missed_at", "pk")):
        yield plain(cb, CALL_BACK_FIELDS, subject.tz)


def member_devices(subject):
    qs = Device.objects.filter(organisation=subject.org, user_id=subject.user_id).order_by("paired_at", "pk")
    for d in qs:
        # The device's token is referred to by id only; its hash never leaves the server.
        yield plain(
            d,
            [
                "id",
                "name",
                "platform",
                "os_version",
                "app_version",
                "paired_at",
                "last_seen_at",
                "last_sync_at",
                "newest_call_at",
                "queue_length",
                "call_log_permission",
                "last_call_log_read_at",
                "revoked_at",
            ],
            subject.tz,
        )


def member_pairing_codes(subject):
    qs = PairingCode.objects.filter(organisation=subject.org, user_id=subject.user_id).select_related(
        "created_by"
    )
    for p in qs.order_by("created_at", "pk"):
        yield plain(
            p, ["id", "created_at", "expires_at", "used_at"], subject.tz, created_by=person_name(p.created_by)
        )


def lead_integration_payloads(subject):
    # As the provider sent them (recording fields were never kept), while the 7 days last.
    qs = Payload.objects.filter(organisation=subject.org, lead=subject.lead).select_related("connector")
    names = ["received_at", "external_id", "status", "error", "is_test", "body", "processed_at"]
    for p in stream(qs.order_by("received_at", "pk")):
        yield plain(p, names, subject.tz, provider=p.connector.kind)
