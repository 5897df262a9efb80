"""The access export: everything held about one lead or one member, as one zip.

``EXPORTERS`` maps every model that holds personal data about a lead or a member to the
function that yields that model's rows about a subject. It is the export's half of
"completeness by construction": a test walks the models and fails when one that points at a
lead, a membership or a user (or has a field marked personal) has no entry here, so a model
added later cannot be left out of a person's copy without someone deciding so.

Rows are plain dicts (times in ISO 8601 with the organisation's offset, decimals as strings).
A lead's export holds the organisation's whole record about that lead; a member's export
holds the member's own data and the ids of what they worked on, never another person's name,
number, address or typed text (a note about a lead belongs to the lead's export, not to the
agent's who wrote it).
"""

import datetime as dt
import decimal
import functools
import hashlib
import io
import json
import os
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from leadtracker.accounts import audit
from leadtracker.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    SupportRequest,
)
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Call, CallBack, Device, PairingCode
from leadtracker.leads.models import (
    Activity,
    AssignmentRule,
    FollowUp,
    ImportJob,
    Lead,
    LeadPhone,
    LeadTag,
    WebhookDelivery,
)
from leadtracker.lib import spreadsheet
from leadtracker.lib.errors import ActionError
from leadtracker.lib.timeutil import to_local
from leadtracker.privacy.models import (
    AccessExport,
    DataRequest,
    ErasureRecord,
    ExportStatus,
    LegalHold,
    NoticeAcceptance,
    PrivacySettings,
)

# Rows read from the database per round trip: a member with years of calls is streamed.
CHUNK = 2000
# Ids per IN (...) when looking up audit events about many objects (SQLite's variable limit).
IN_CHUNK = 500
EXPORT_DIR = "exports"


@dataclass
class Subject:
    """Whom an export is about: one lead, or one member (a membership of the organisation)."""

    org: object
    lead: object = None
    member: object = None
    # Filled once per export: ids other exporters look up (the lead's calls, phones …).
    cache: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "lead" if self.lead is not None else "member"

    @property
    def tz(self):
        return self.org.tzinfo

    @property
    def user_id(self):
        return self.member.user_id if self.member is not None else None


@dataclass(frozen=True)
class Exporter:
    """How one model's rows about a subject are found. ``kind`` names the CSV (``calls.csv``)
    and the key in person.json; ``lead`` and ``member`` yield rows, or are None with a
    ``none_because`` saying why that model can hold nothing about such a subject."""

    kind: str
    lead: Callable[[Subject], Iterable[dict]] | None = None
    member: Callable[[Subject], Iterable[dict]] | None = None
    none_because: str = ""

    def rows(self, subject: Subject) -> Iterable[dict]:
        fn = self.lead if subject.kind == "lead" else self.member
        return fn(subject) if fn is not None else ()


# --- values -------------------------------------------------------------------------------


def value(v, tz):
    """A field's value as JSON can hold it, times in the organisation's zone with offset."""
    if isinstance(v, dt.datetime):
        # to_local: a time stored for 9999 is written in UTC rather than failing the export.
        return to_local(v, tz).isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    return v


@functools.cache
def _attnames(model, names: tuple) -> tuple:
    # Looked up once per model and field list, not once per row of a year of calls.
    return tuple(
        model._meta.get_field(n).attname if model._meta.get_field(n).is_relation else n for n in names
    )


def plain(obj, names, tz, **extra) -> dict:
    """The named fields of ``obj`` (FKs as ``<name>_id``) plus computed ones."""
    row = {attname: value(getattr(obj, attname), tz) for attname in _attnames(type(obj), tuple(names))}
    for key, v in extra.items():
        row[key] = value(v, tz)
    return row


def _only(row: dict, keep) -> dict:
    """The row's columns, blank but for ``keep``: a kind's rows share one set of columns (its
    CSV has one header), while a row about someone else's record keeps only the subject's part."""
    return {k: (v if k in keep else None) for k, v in row.items()}


def person_name(user) -> str:
    # Colleagues are named by the organisation's own records (who called, who wrote the note).
    if user is None:
        return ""
    return user.full_name or user.email


def _stream(qs):
    return qs.iterator(chunk_size=CHUNK)


def _chunks(ids, size=IN_CHUNK):
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


# --- lead side -------------------------------------------------------------------------------


def _lead_numbers(subject) -> list[str]:
    if "numbers" not in subject.cache:
        numbers = list(LeadPhone.objects.filter(lead=subject.lead).values_list("e164", flat=True))
        if subject.lead.phone and subject.lead.phone not in numbers:
            numbers.append(subject.lead.phone)
        subject.cache["numbers"] = numbers
    return subject.cache["numbers"]


def _lead_calls_qs(subject):
    """The lead's calls: linked to it, or to one of its numbers and left unlinked (a call from
    a number before the lead was made, when the organisation does not create leads from calls)."""
    numbers = _lead_numbers(subject)
    q = Q(lead=subject.lead)
    if numbers:
        q |= Q(lead__isnull=True, number__in=numbers)
    return Call.objects.filter(q, organisation=subject.org)


def _lead(subject):
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
        ],
        subject.tz,
        source_name=lead.source.name if lead.source_id else "",
        status_name=lead.status.name,
        owner_name=person_name(lead.owner),
    )


def _member_owned_leads(subject):
    # Which leads were theirs is the member's work record; the leads' own data is not theirs.

    qs = Lead.objects.filter(organisation=subject.org, owner_id=subject.user_id).order_by("pk")
    for lead in _stream(qs.only("id", "created_at", "owner_id")):
        yield {"id": lead.pk, "relation": "owner", "created_at": value(lead.created_at, subject.tz)}


def _lead_phones(subject):
    for p in _stream(LeadPhone.objects.filter(lead=subject.lead).order_by("position", "pk")):
        yield plain(p, ["id", "e164", "raw", "position"], subject.tz)


def _lead_tags(subject):
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


def _lead_follow_ups(subject):
    qs = FollowUp.objects.filter(lead=subject.lead).select_related("assignee", "created_by", "cancelled_by")
    for f in _stream(qs.order_by("due_at", "pk")):
        yield plain(
            f,
            [*FOLLOW_UP_FIELDS, "note", "outcome"],
            subject.tz,
            assignee=person_name(f.assignee),
            created_by=person_name(f.created_by),
            cancelled_by=person_name(f.cancelled_by),
        )


def _member_follow_ups(subject):
    uid = subject.user_id
    qs = FollowUp.objects.filter(organisation=subject.org).filter(
        Q(assignee_id=uid) | Q(created_by_id=uid) | Q(cancelled_by_id=uid)
    )
    for f in _stream(qs.order_by("due_at", "pk")):
        # The note and outcome speak of the lead: they are in the lead's export, not here.
        roles = [r for r, fk in (("assignee", f.assignee_id), ("created", f.created_by_id)) if fk == uid]
        if f.cancelled_by_id == uid:
            roles.append("cancelled")
        yield plain(f, FOLLOW_UP_FIELDS, subject.tz, their_part=" ".join(roles))


def _lead_activities(subject):
    qs = Activity.objects.filter(lead=subject.lead).select_related("actor").order_by("at", "pk")
    for a in _stream(qs):
        yield plain(
            a, ["id", "kind", "at", "body", "data", "follow_up"], subject.tz, actor=person_name(a.actor)
        )


def _member_activities(subject):
    qs = Activity.objects.filter(organisation=subject.org, actor_id=subject.user_id).order_by("at", "pk")
    for a in _stream(qs.only("id", "lead_id", "kind", "at")):
        yield plain(a, ["id", "lead", "kind", "at"], subject.tz)


def _member_assignment_rules(subject):
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


def _lead_webhook_deliveries(subject):
    qs = (
        WebhookDelivery.objects.filter(lead=subject.lead)
        .select_related("endpoint")
        .order_by("created_at", "pk")
    )
    for d in _stream(qs):
        yield plain(
            d,
            ["id", "event", "data", "state", "attempts", "last_status_code", "created_at", "delivered_at"],
            subject.tz,
            endpoint_url=d.endpoint.url if d.endpoint_id else "",
        )


def _member_imports(subject):
    uid = subject.user_id
    qs = ImportJob.objects.filter(organisation=subject.org).filter(Q(created_by_id=uid) | Q(owner_id=uid))
    for j in _stream(qs.order_by("created_at", "pk")):
        yield plain(
            j,
            ["id", "created_at", "file_name", "state", "rows", "created", "updated", "duplicates", "errors"],
            subject.tz,
            their_part="ran it" if j.created_by_id == uid else "new leads given to them",
        )


def _lead_imports(subject):
    """Import jobs whose kept error report names one of the lead's numbers or its e-mail:
    the only import data that can still mention a person once the import is done (the uploaded
    file is deleted after a few days, with the report)."""
    needles = _identifiers(subject)
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


def _lead_calls(subject):
    qs = _lead_calls_qs(subject).select_related("user", "outcome", "disposed_by")
    ids = []
    for c in _stream(qs.order_by("started_at", "pk")):
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


def _member_calls(subject):
    """Calls they made or took, without the other party's number or the note: those are the
    lead's data (in the lead's export); the lead's id says which record it belongs to."""
    qs = Call.objects.filter(organisation=subject.org, user_id=subject.user_id).select_related("outcome")
    for c in _stream(qs.order_by("started_at", "pk")):
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


def _lead_call_backs(subject):
    numbers = _lead_numbers(subject)
    q = Q(lead=subject.lead)
    if numbers:
        q |= Q(lead__isnull=True, number__in=numbers)
    qs = CallBack.objects.filter(q, organisation=subject.org).select_related("assignee")
    for cb in _stream(qs.order_by("missed_at", "pk")):
        yield plain(cb, [*CALL_BACK_FIELDS, "number"], subject.tz, assignee=person_name(cb.assignee))


def _member_call_backs(subject):
    qs = CallBack.objects.filter(organisation=subject.org, assignee_id=subject.user_id)
    for cb in _stream(qs.order_by("missed_at", "pk")):
        yield plain(cb, CALL_BACK_FIELDS, subject.tz)


def _member_devices(subject):
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


def _member_pairing_codes(subject):
    qs = PairingCode.objects.filter(organisation=subject.org, user_id=subject.user_id).select_related(
        "created_by"
    )
    for p in qs.order_by("created_at", "pk"):
        yield plain(
            p, ["id", "created_at", "expires_at", "used_at"], subject.tz, created_by=person_name(p.created_by)
        )


# --- accounts and attendance -----------------------------------------------------------------


def _member_account(subject):
    user = subject.member.user
    # Never the password hash, nor the staff flags of the server's operators.
    yield plain(
        user, ["id", "email", "full_name", "phone", "is_active", "date_joined", "last_login"], subject.tz
    )


def _member_memberships(subject):
    qs = Membership.objects.filter(organisation=subject.org, user_id=subject.user_id).select_related(
        "reports_to__user"
    )
    for m in qs.order_by("created_at", "pk"):
        yield plain(
            m,
            ["id", "role", "reports_to", "is_active", "created_at", "deactivated_at"],
            subject.tz,
            reports_to_name=person_name(m.reports_to.user) if m.reports_to_id else "",
        )


def _member_invitations(subject):
    user = subject.member.user
    # The invitation that brought them in (their own address), and the ones they sent
    # (without the invitee's address and name: another person's data).
    qs = Invitation.objects.filter(organisation=subject.org).filter(
        Q(email__iexact=user.email) | Q(invited_by_id=user.pk)
    )
    for inv in qs.select_related("invited_by").order_by("created_at", "pk"):
        theirs = inv.email.lower() == user.email.lower()
        names = ["id", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
        row = plain(
            inv,
            [*names, "email", "full_name"],
            subject.tz,
            their_part="invited" if theirs else "sent",
            invited_by=person_name(inv.invited_by),
        )
        yield row if theirs else _only(row, {*names, "their_part"})


def _member_api_tokens(subject):
    qs = ApiToken.objects.filter(organisation=subject.org, user_id=subject.user_id).order_by(
        "created_at", "pk"
    )
    for t in qs:
        yield plain(
            t, ["id", "kind", "name", "prefix", "created_at", "last_used_at", "revoked_at"], subject.tz
        )


def _member_notifications(subject):
    qs = Notification.objects.filter(organisation=subject.org, user_id=subject.user_id)
    # The text names leads ("Call back Ravi …"): when and where to, not what it said.
    for n in _stream(qs.order_by("created_at", "pk")):
        yield plain(n, ["id", "url", "created_at", "read_at"], subject.tz)


def _member_support_requests(subject):
    uid = subject.user_id
    qs = SupportRequest.objects.filter(organisation=subject.org).filter(
        Q(requester_id=uid) | Q(answered_by_id=uid)
    )
    for s in qs.select_related("answered_by").order_by("created_at", "pk"):
        row = plain(
            s,
            ["id", "subject", "message", "status", "answer", "answered_at", "closed_at", "created_at"],
            subject.tz,
            their_part="asked" if s.requester_id == uid else "answered",
            answered_by=person_name(s.answered_by),
        )
        # A colleague's request they answered: which and when, not what was asked.
        yield (
            row
            if s.requester_id == uid
            else _only(row, {"id", "status", "answered_at", "created_at", "their_part"})
        )


def _member_shifts(subject):
    qs = Shift.objects.filter(organisation=subject.org).filter(
        Q(user_id=subject.user_id) | Q(corrected_by_id=subject.user_id)
    )
    for s in _stream(qs.select_related("corrected_by").order_by("started_at", "pk")):
        own = s.user_id == subject.user_id
        row = plain(
            s,
            [
                "id",
                "started_at",
                "ended_at",
                "started_via",
                "ended_via",
                "closed_automatically",
                "start_lat",
                "start_lon",
                "start_accuracy_m",
                "end_lat",
                "end_lon",
                "end_accuracy_m",
                "correction_reason",
                "created_at",
            ],
            subject.tz,
            their_part="own" if own else "corrected a colleague's",
            corrected_by=person_name(s.corrected_by),
        )
        # A colleague's shift times are the colleague's: which shift, not when they worked.
        yield row if own else _only(row, {"id", "their_part"})


def _audit_row(e, subject, own: bool):
    names = ["id", "at", "action", "object_type", "object_id", "actor_kind", "changes"]
    row = plain(e, [*names, "ip_address", "user_agent"], subject.tz, actor=person_name(e.actor_user))
    # The actor's address and browser are the actor's data: shown when the actor is the subject.
    return row if own else _only(row, {*names, "actor"})


def _audit_about(subject, refs: dict[str, Iterable]) -> Iterator:
    seen = set()
    for object_type, ids in refs.items():
        for chunk in _chunks(str(i) for i in ids):
            qs = AuditEvent.objects.filter(
                organisation=subject.org, object_type=object_type, object_id__in=chunk
            )
            for e in qs.select_related("actor_user").order_by("at", "pk"):
                if e.pk not in seen:
                    seen.add(e.pk)
                    yield e


def _lead_audit_events(subject):
    lead = subject.lead
    call_ids = subject.cache.get("call_ids")
    if call_ids is None:
        call_ids = list(_lead_calls_qs(subject).values_list("pk", flat=True))
    refs = {
        "lead": [lead.pk],
        "leadphone": LeadPhone.objects.filter(lead=lead).values_list("pk", flat=True),
        "followup": FollowUp.objects.filter(lead=lead).values_list("pk", flat=True),
        "activity": Activity.objects.filter(lead=lead).values_list("pk", flat=True),
        "call": call_ids,
        "datarequest": DataRequest.objects.filter(lead=lead).values_list("pk", flat=True),
        "accessexport": AccessExport.objects.filter(lead=lead).values_list("pk", flat=True),
        "legalhold": LegalHold.objects.filter(lead=lead).values_list("pk", flat=True),
    }
    events = {e.pk: e for e in _audit_about(subject, refs)}
    # Searches for one of its numbers: the log keeps a keyed fingerprint of the number searched.
    from leadtracker.accounts.audit import number_fingerprint

    prints = [number_fingerprint(subject.org.pk, n, subject.org.phone_region) for n in _lead_numbers(subject)]
    if prints:
        searches = AuditEvent.objects.filter(
            organisation=subject.org, action="lead.search_number", changes__number_hash__in=prints
        ).select_related("actor_user")
        events.update((e.pk, e) for e in searches)
    for e in sorted(events.values(), key=lambda e: (e.at, e.pk)):
        yield _audit_row(e, subject, own=False)


def _member_audit_events(subject):
    member, uid = subject.member, subject.user_id
    refs = {
        "membership": [member.pk],
        "user": [uid],
        "apitoken": ApiToken.objects.filter(user_id=uid, organisation=subject.org).values_list(
            "pk", flat=True
        ),
        "device": Device.objects.filter(user_id=uid, organisation=subject.org).values_list("pk", flat=True),
        "datarequest": DataRequest.objects.filter(member=member).values_list("pk", flat=True),
        "accessexport": AccessExport.objects.filter(member=member).values_list("pk", flat=True),
        "legalhold": LegalHold.objects.filter(member=member).values_list("pk", flat=True),
        "shift": Shift.objects.filter(user_id=uid, organisation=subject.org).values_list("pk", flat=True),
        "supportrequest": SupportRequest.objects.filter(
            requester_id=uid, organisation=subject.org
        ).values_list("pk", flat=True),
        "invitation": Invitation.objects.filter(
            organisation=subject.org, email__iexact=subject.member.user.email
        ).values_list("pk", flat=True),
    }
    about = {e.pk: e for e in _audit_about(subject, refs)}
    qs = AuditEvent.objects.filter(organisation=subject.org, actor_user_id=uid).select_related("actor_user")
    done = set()
    for e in _stream(qs.order_by("at", "pk")):
        done.add(e.pk)
        yield _audit_row(e, subject, own=True)
    for e in sorted(about.values(), key=lambda e: (e.at, e.pk)):
        if e.pk not in done:
            yield _audit_row(e, subject, own=e.actor_user_id == uid)


# --- privacy ----------------------------------------------------------------------------------

REQUEST_FIELDS = [
    "id",
    "kind",
    "requested_by",
    "channel",
    "details",
    "received_at",
    "due_at",
    "status",
    "verification_note",
    "outcome",
    "refusal_reason",
    "closed_at",
    "created_at",
]


def _requests_about(subject, qs, their_part="about them"):
    for r in qs.select_related("closed_by", "created_by").order_by("received_at", "pk"):
        yield plain(
            r,
            REQUEST_FIELDS,
            subject.tz,
            their_part=their_part,
            closed_by=person_name(r.closed_by),
            created_by=person_name(r.created_by),
        )


def _lead_data_requests(subject):
    yield from _requests_about(subject, DataRequest.objects.filter(lead=subject.lead))


def _member_data_requests(subject):
    uid = subject.user_id
    yield from _requests_about(subject, DataRequest.objects.filter(member=subject.member))
    # Requests they registered or closed for others: which and when, not who asked or what.
    handled = (
        DataRequest.objects.filter(organisation=subject.org)
        .filter(Q(closed_by_id=uid) | Q(created_by_id=uid))
        .exclude(member=subject.member)
    )
    for row in _requests_about(subject, handled, their_part="handled"):
        yield _only(row, {"id", "kind", "received_at", "status", "closed_at", "their_part"})


def _member_notice_acceptances(subject):
    qs = NoticeAcceptance.objects.filter(organisation=subject.org, user_id=subject.user_id)
    for a in qs.select_related("notice").order_by("accepted_at", "pk"):
        yield plain(a, ["id", "notice", "version", "accepted_at"], subject.tz, notice_title=a.notice.title)


def _holds(subject, qs):
    for h in qs.select_related("created_by").order_by("created_at", "pk"):
        yield plain(
            h, ["id", "reason", "created_at", "released_at"], subject.tz, created_by=person_name(h.created_by)
        )


def _lead_legal_holds(subject):
    yield from _holds(subject, LegalHold.objects.filter(lead=subject.lead))


def _member_legal_holds(subject):
    yield from _holds(subject, LegalHold.objects.filter(member=subject.member))


EXPORT_FIELDS = ["id", "data_request", "status", "created_at", "finished_at", "expires_at", "downloads"]


def _lead_exports(subject):
    for x in AccessExport.objects.filter(lead=subject.lead).order_by("created_at", "pk"):
        yield plain(x, EXPORT_FIELDS, subject.tz, their_part="about them")


def _member_exports(subject):
    qs = AccessExport.objects.filter(organisation=subject.org).filter(
        Q(member=subject.member) | Q(requested_by_id=subject.user_id)
    )
    for x in qs.order_by("created_at", "pk"):
        yield plain(
            x,
            EXPORT_FIELDS,
            subject.tz,
            their_part="about them" if x.member_id == subject.member.pk else "prepared",
        )


def _member_erasures(subject):
    qs = ErasureRecord.objects.filter(organisation=subject.org, erased_by_id=subject.user_id)
    # Erasures they carried out; the ledger's hashes identify the erased, so they stay out.
    for r in qs.order_by("erased_at", "pk"):
        yield plain(
            r, ["id", "subject_kind", "erased_at", "data_request"], subject.tz, their_part="carried out"
        )


def _lead_notifications(subject):
    # Reminders about the lead: their text names it and their link opens it.
    from django.urls import reverse

    url = reverse("lead_detail", args=[subject.lead.pk])
    qs = Notification.objects.filter(organisation=subject.org, url__startswith=url).select_related("user")
    for n in _stream(qs.order_by("created_at", "pk")):
        yield plain(
            n, ["id", "text", "url", "created_at", "read_at"], subject.tz, sent_to=person_name(n.user)
        )


def _identifiers(subject) -> list[str]:
    """The lead's unique identifiers as they would appear in free text or a payload: its
    numbers (E.164 and the national digits) and its e-mail. Not its name: two people share
    names, and another Ravi's task must not land in this Ravi's export."""
    needles = list(_lead_numbers(subject))
    needles += [n[3:] for n in needles if n.startswith("+91")]
    if subject.lead.email:
        needles.append(subject.lead.email)
    return needles


def _task_results(subject, needles, *, payload=True):
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from django_tasks_db.models import DBTaskResult

    if not needles:
        return
    q = Q()
    for needle in needles:
        q |= (
            Q(args_text__icontains=needle) | Q(result_text__icontains=needle) | Q(traceback__icontains=needle)
        )
    qs = DBTaskResult.objects.annotate(
        args_text=Cast("args_kwargs", TextField()), result_text=Cast("return_value", TextField())
    ).filter(q)
    names = ["task_path", "status", "enqueued_at", "finished_at"]
    if payload:
        names += ["args_kwargs", "return_value"]
    for t in _stream(qs.order_by("enqueued_at")):
        yield plain(t, names, subject.tz, id=str(t.pk))


def _lead_task_results(subject):
    """Background jobs whose arguments, result or error mention the lead's number or e-mail
    (an e-mailed reminder, say); kept for 30 days after they finish."""
    yield from _task_results(subject, _identifiers(subject))


def _member_task_results(subject):
    # E-mails to them (reminders, alerts) are jobs whose arguments hold their address; what
    # the e-mails said names leads, so only which job and when.
    yield from _task_results(subject, [subject.member.user.email], payload=False)


def _admin_log(subject, refs):
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    q = Q()
    for model, pk in refs:
        q |= Q(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
    for e in LogEntry.objects.filter(q).order_by("action_time", "pk"):
        yield plain(
            e,
            ["id", "action_time", "action_flag", "object_repr", "change_message"],
            subject.tz,
            model=e.content_type.model if e.content_type_id else "",
        )


def _lead_trash(subject):
    """Older leads of the same person in the trash (one of the numbers or the e-mail), whole:
    their snapshot is the organisation's record about them until it is purged."""
    from leadtracker.leads.models import TrashedLead

    q = Q()
    for number in _lead_numbers(subject):
        q |= Q(numbers__contains=f" {number} ")
    if subject.lead.email:
        q |= Q(email=subject.lead.email)
    if not q:
        return
    rows = TrashedLead.objects.filter(q, organisation=subject.org).exclude(pk=subject.lead.pk).order_by("pk")
    for t in rows:
        yield plain(
            t,
            ["id", "name", "email", "deleted_at", "purge_after", "snapshot"],
            subject.tz,
            numbers=" ".join(t.number_list),
        )


def _lead_admin_log(subject):
    yield from _admin_log(subject, [(Lead, subject.lead.pk)])


def _member_admin_log(subject):
    yield from _admin_log(subject, [(Membership, subject.member.pk), (subject.member.user, subject.user_id)])


def _member_sessions(subject):
    """Their signed-in sessions (until when), found by decoding the live ones; the session key
    is a credential and is never exported."""
    from django.contrib.sessions.models import Session

    uid = str(subject.user_id)
    for s in _stream(Session.objects.filter(expire_date__gt=timezone.now()).order_by("expire_date")):
        if str(s.get_decoded().get("_auth_user_id")) == uid:
            yield {"expires_at": value(s.expire_date, subject.tz)}


CONSENT_FIELDS = ["id", "purpose", "given", "method", "notice_version", "note", "occurred_at"]


def _consents(subject, qs):
    for c in _stream(qs.select_related("recorded_by").order_by("occurred_at", "pk")):
        yield plain(c, CONSENT_FIELDS, subject.tz, recorded_by=person_name(c.recorded_by))


def _lead_consents(subject):
    from leadtracker.leads.models import ConsentEvent

    yield from _consents(subject, ConsentEvent.objects.filter(lead=subject.lead))


def _member_consents(subject):
    from leadtracker.leads.models import ConsentEvent

    yield from _consents(subject, ConsentEvent.objects.filter(member=subject.member))


def _member_mfa_devices(subject):
    from leadtracker.accounts.models import TotpDevice

    # When they set up sign-in codes; the sealed secret never leaves the server.
    for d in TotpDevice.objects.filter(user_id=subject.user_id).order_by("created_at", "pk"):
        yield plain(d, ["id", "created_at", "confirmed_at"], subject.tz)


def _member_recovery_codes(subject):
    from leadtracker.accounts.models import RecoveryCode

    for c in RecoveryCode.objects.filter(user_id=subject.user_id).order_by("created_at", "pk"):
        yield plain(c, ["id", "created_at", "used_at"], subject.tz)


def _member_rollups(model, subject):
    # Counters of their own calls and shift time: theirs, and naming no lead.
    skip = {"organisation", "user"}
    names = [f.name for f in model._meta.concrete_fields if f.name not in skip]
    qs = model.objects.filter(organisation=subject.org, user_id=subject.user_id).order_by(
        *[n for n in ("day", "hour") if n in names]
    )
    for row in _stream(qs):
        yield plain(row, names, subject.tz)


def _member_days(subject):
    from leadtracker.reports.models import UserDay

    yield from _member_rollups(UserDay, subject)


def _member_hours(subject):
    from leadtracker.reports.models import UserHour

    yield from _member_rollups(UserHour, subject)


NO_LEAD = "points at members only"
NO_MEMBER = "a lead's record; a member's part in it is exported under the member's own kinds"

EXPORTERS: dict[str, Exporter] = {
    "leads.Lead": Exporter("leads", _lead, _member_owned_leads),
    "leads.LeadPhone": Exporter("phones", _lead_phones, None, NO_MEMBER),
    "leads.LeadTag": Exporter("tags", _lead_tags, None, NO_MEMBER),
    "leads.Activity": Exporter("activities", _lead_activities, _member_activities),
    "leads.FollowUp": Exporter("follow_ups", _lead_follow_ups, _member_follow_ups),
    "leads.AssignmentRule": Exporter("assignment_rules", None, _member_assignment_rules, NO_LEAD),
    "leads.WebhookDelivery": Exporter("webhook_deliveries", _lead_webhook_deliveries, None, NO_MEMBER),
    "leads.ImportJob": Exporter("imports", _lead_imports, _member_imports),
    "calls.Call": Exporter("calls", _lead_calls, _member_calls),
    "calls.CallBack": Exporter("call_backs", _lead_call_backs, _member_call_backs),
    "calls.Device": Exporter("devices", None, _member_devices, NO_LEAD),
    "calls.PairingCode": Exporter("pairing_codes", None, _member_pairing_codes, NO_LEAD),
    "accounts.User": Exporter("account", None, _member_account, NO_LEAD),
    "accounts.Membership": Exporter("memberships", None, _member_memberships, NO_LEAD),
    "accounts.Invitation": Exporter("invitations", None, _member_invitations, NO_LEAD),
    "accounts.ApiToken": Exporter("api_tokens", None, _member_api_tokens, NO_LEAD),
    "accounts.Notification": Exporter("notifications", _lead_notifications, _member_notifications),
    "accounts.SupportRequest": Exporter("support_requests", None, _member_support_requests, NO_LEAD),
    "accounts.AuditEvent": Exporter("audit_events", _lead_audit_events, _member_audit_events),
    "attendance.Shift": Exporter("shifts", None, _member_shifts, NO_LEAD),
    "privacy.NoticeAcceptance": Exporter("notice_acceptances", None, _member_notice_acceptances, NO_LEAD),
    "privacy.DataRequest": Exporter("data_requests", _lead_data_requests, _member_data_requests),
    "privacy.LegalHold": Exporter("legal_holds", _lead_legal_holds, _member_legal_holds),
    "privacy.AccessExport": Exporter("exports", _lead_exports, _member_exports),
    "privacy.ErasureRecord": Exporter(
        "erasures_carried_out", None, _member_erasures, "the ledger keeps only keyed hashes of whom it erased"
    ),
    "django_tasks_database.DBTaskResult": Exporter(
        "background_jobs", _lead_task_results, _member_task_results
    ),
    "admin.LogEntry": Exporter("site_admin_log", _lead_admin_log, _member_admin_log),
    "sessions.Session": Exporter("sessions", None, _member_sessions, NO_LEAD),
    "accounts.TotpDevice": Exporter("sign_in_code_devices", None, _member_mfa_devices, NO_LEAD),
    "accounts.RecoveryCode": Exporter("recovery_codes", None, _member_recovery_codes, NO_LEAD),
    "reports.UserDay": Exporter("daily_figures", None, _member_days, NO_LEAD),
    "reports.UserHour": Exporter("hourly_figures", None, _member_hours, NO_LEAD),
    "leads.ConsentEvent": Exporter("consents", _lead_consents, _member_consents),
    "leads.TrashedLead": Exporter("trashed_leads", _lead_trash, None, NO_MEMBER),
}

# Said in person.json so the reader knows what is not there and why.
NOT_EXPORTED = {
    "usage": "usage counters are kept per organisation, day, app version and system: no row names a person",
    "passwords and token secrets": "kept only as one-way hashes; never exported",
}


# --- the zip ------------------------------------------------------------------------------------


def cell(v):
    """A CSV cell: JSON for structures, yes/no for flags. lib/spreadsheet.py's writer makes
    text a spreadsheet would run as a formula (=HYPERLINK(…)) inert, and leaves the numbers we
    normalised ourselves (+91…) as they are."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return v


def _write_kind(zf, kind: str, rows: Iterable[dict], json_part) -> int:
    """One kind (at least one row): its CSV into the zip, its rows as JSON into ``json_part``
    (a temporary file, joined into person.json at the end so the document is never held in
    memory whole)."""
    n = 0
    columns = None
    with zf.open(f"{kind}.csv", "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = spreadsheet.CsvWriter(text, bom=True)
        for row in rows:
            if columns is None:
                columns = list(row)
                writer.writerow(columns)
            elif len(row) != len(columns) or any(c not in row for c in columns):
                # One header per CSV: an exporter whose rows differ would lose columns silently.
                raise ValueError(f"{kind}: a row's fields differ from the first row's")
            writer.writerow([cell(row.get(c)) for c in columns])
            json_part.write(
                (",\n    " if n else "\n    ") + json.dumps(row, ensure_ascii=False, sort_keys=False)
            )
            n += 1
        text.flush()
        text.detach()
    return n


def build_zip(subject: Subject, out, *, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write the export of ``subject`` as a zip to the binary file ``out``; return the counts
    per kind. ``progress`` is called with 0–99 as the exporters finish."""
    generated_at = timezone.now()
    counts: dict[str, int] = {}
    parts: dict[str, tempfile.SpooledTemporaryFile] = {}
    exporters = list(EXPORTERS.values())
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i, exporter in enumerate(exporters):
            part = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8")
            counts[exporter.kind] = counts.get(exporter.kind, 0) + _write_csv_if_any(
                zf, exporter.kind, exporter.rows(subject), part
            )
            parts[exporter.kind] = part
            if progress is not None:
                progress(int((i + 1) * 95 / len(exporters)))
        header = {
            "organisation": {"name": subject.org.name, "slug": subject.org.slug},
            "generated_at": value(generated_at, subject.tz),
            "time_zone": subject.org.time_zone,
            "subject": {"kind": subject.kind, "id": (subject.lead or subject.member).pk},
            "counts": counts,
            "files": ["person.json"] + [f"{k}.csv" for k, n in counts.items() if n],
            "how_to_read": (
                "Everything this organisation holds about the person, as of generated_at. "
                "person.json holds it all; each CSV holds one kind (UTF-8). Times carry their "
                "offset; ids refer to other rows of this export or to the organisation's records."
            ),
            "not_exported": NOT_EXPORTED,
        }
        with zf.open("person.json", "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            text.write('{\n  "about": ')
            text.write(json.dumps(header, ensure_ascii=False, indent=2).replace("\n", "\n  "))
            text.write(',\n  "data": {')
            for n, (kind, part) in enumerate(parts.items()):
                text.write(("," if n else "") + f"\n  {json.dumps(kind)}: [")
                part.seek(0)
                while chunk := part.read(64 * 1024):
                    text.write(chunk)
                text.write("\n  ]" if counts[kind] else "]")
                part.close()
            text.write("\n  }\n}\n")
            text.flush()
            text.detach()
    return counts


def _write_csv_if_any(zf, kind, rows, json_part) -> int:
    """Rows into ``json_part``; the CSV is written only when the kind has rows (an empty CSV
    would say nothing person.json does not)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0

    def again():
        yield first
        yield from rows

    return _write_kind(zf, kind, again(), json_part)


# --- files -----------------------------------------------------------------------------------------


def export_dir() -> Path:
    path = Path(settings.PRIVATE_FILES_DIR) / EXPORT_DIR
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_atomically(subject: Subject, final_path: Path, *, progress=None) -> tuple[dict, int, str]:
    """Build the zip next to ``final_path`` and rename it into place, so a reader never sees a
    half-written file; returns (counts, size in bytes, sha256 hex)."""
    final_path = Path(final_path)
    fd, tmp_name = tempfile.mkstemp(prefix=".part-", suffix=".zip", dir=final_path.parent)
    try:
        with os.fdopen(fd, "w+b") as tmp:
            counts = build_zip(subject, tmp, progress=progress)
            tmp.flush()
            os.fsync(tmp.fileno())
            tmp.seek(0)
            digest = hashlib.sha256()
            while chunk := tmp.read(1024 * 1024):
                digest.update(chunk)
            size = tmp.tell()
        os.replace(tmp_name, final_path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.remove(tmp_name)
        raise
    return counts, size, digest.hexdigest()


def new_file_name() -> str:
    # Unguessable: knowing one export's name tells nothing of another's.
    return f"{EXPORT_DIR}/{secrets.token_urlsafe(24)}.zip"


# --- actions: requesting, building, downloading and expiring an export ------------------------
# They live beside the exporters (as retention's do in retention.py): one feature, one module.


def subject_of(export) -> Subject:
    return Subject(org=export.organisation, lead=export.lead, member=export.member)


def request_export(org, *, actor, lead=None, member=None, data_request=None):
    """Queue an export of one lead or one member (or of a data request's subject); the worker
    builds it. The subject must belong to ``org`` (callers look it up in the organisation)."""
    if data_request is not None:
        if lead is not None or member is not None:
            raise ActionError(
                "name the person with one of lead_id, member_id or data_request_id", field="subject"
            )
        lead, member = data_request.lead, data_request.member
        if lead is None and member is None:
            raise ActionError("the person of this request is no longer held", field="data_request_id")
    if (lead is None) == (member is None):
        raise ActionError(
            "name the person with one of lead_id, member_id or data_request_id", field="subject"
        )
    with transaction.atomic():
        export = AccessExport.objects.create(
            organisation=org, lead=lead, member=member, data_request=data_request, requested_by=actor.user
        )
        audit.record(
            "access_export.requested",
            organisation=org,
            actor=actor,
            obj=export,
            changes={
                "subject": "lead" if lead is not None else "member",
                "data_request_id": data_request.pk if data_request else None,
            },
        )

        def enqueue():
            from leadtracker.privacy.tasks import build_access_export

            build_access_export.enqueue(export.pk)

        transaction.on_commit(enqueue)
    return export


def export_days(org) -> int:
    row = PrivacySettings.objects.filter(organisation=org).first()
    return row.export_days if row else PrivacySettings._meta.get_field("export_days").default


MAX_ATTEMPTS = 5


def build_export(export_id: int, *, now=None) -> str:
    """The worker's part: build the zip, record its size and hash, open it for download until
    the organisation's export period ends. Returns the final status.

    The worker holds the export's lease (lib/leases.py), renewed as each kind of data is
    written; one that dies leaves a lease that lapses, and requeue_abandoned queues the export
    again, to be built from the start (the zip is one snapshot; its half-written part is
    deleted with the stale uploads)."""
    from leadtracker.lib import leases

    rows = AccessExport.objects.filter(pk=export_id)
    # Run once: a retried or duplicated job finds the export already taken.
    if not leases.take(
        rows.filter(status=ExportStatus.QUEUED),
        status=ExportStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
    ):
        export = rows.first()
        return export.status if export else "missing"
    export = rows.select_related("organisation", "lead", "member__user").get()
    org = export.organisation
    if export.lead is None and export.member is None:
        return _fail(export, "the person is no longer held (erased after the export was asked for)")

    def progress(percent):
        leases.renew(rows, progress=min(99, percent))  # the heartbeat

    name = new_file_name()
    path = Path(settings.PRIVATE_FILES_DIR) / name
    export_dir()
    try:
        counts, size, sha256 = write_atomically(subject_of(export), path, progress=progress)
    except leases.LeaseLost:
        return rows.get().status  # presumed dead while slow: another worker builds it now
    except Exception as exc:  # noqa: BLE001 — any failure is shown to the admin, not retried forever
        # The class only: an exception's text may quote a value from the person's data.
        return _fail(export, f"the export could not be built ({type(exc).__name__})")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            leases.release(
                rows,
                status=ExportStatus.READY,
                progress=100,
                file_name=name,
                size_bytes=size,
                sha256=sha256,
                finished_at=now,
                expires_at=now + dt.timedelta(days=export_days(org)),
            )
            audit.record(
                "access_export.built",
                organisation=org,
                actor=audit.Actor.system(),
                obj=export,
                changes={"counts": {k: n for k, n in counts.items() if n}, "size_bytes": size},
            )
    except leases.LeaseLost:
        path.unlink(missing_ok=True)  # the worker that took over writes its own file
        return rows.get().status
    return ExportStatus.READY


def _fail(export, message: str) -> str:
    from leadtracker.lib import leases

    try:
        leases.release(
            AccessExport.objects.filter(pk=export.pk),
            status=ExportStatus.FAILED,
            error=message,
            finished_at=timezone.now(),
        )
    except leases.LeaseLost:
        return AccessExport.objects.get(pk=export.pk).status  # the worker that took over decides
    return ExportStatus.FAILED


def requeue_abandoned(now=None) -> int:
    """Exports whose worker died (their lease lapsed) are queued again, to be built anew; one
    that has stopped its worker MAX_ATTEMPTS times is failed."""
    from leadtracker.lib import leases
    from leadtracker.privacy.tasks import build_access_export

    now = now or timezone.now()
    requeued = 0
    abandoned = leases.lapsed(AccessExport.objects.filter(status=ExportStatus.RUNNING), now)
    for export in abandoned.only("pk", "attempts"):
        row = AccessExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING)
        if export.attempts >= MAX_ATTEMPTS:
            message = f"the worker building it stopped {export.attempts} times; it was not tried again"
            leases.reclaim(row, now, status=ExportStatus.FAILED, error=message, finished_at=now)
            continue
        with transaction.atomic():
            # The task is written in the same transaction: the export is never queued without one.
            if leases.reclaim(row, now, status=ExportStatus.QUEUED, progress=0):
                build_access_export.enqueue(export.pk)
                requeued += 1
    return requeued


def is_expired(export, now=None) -> bool:
    """Expired by status, or past its date before the purge has come round to it."""
    now = now or timezone.now()
    if export.status == ExportStatus.EXPIRED:
        return True
    return export.status == ExportStatus.READY and export.expires_at is not None and export.expires_at <= now


def downloadable_path(export, *, now=None) -> Path:
    """The file of a ready export, or ActionError: 409 while it is being built or failed,
    410 once expired."""
    if is_expired(export, now):
        raise ActionError("this export has expired; prepare a new one", field="export", status_code=410)
    if export.status != ExportStatus.READY:
        raise ActionError(
            f"this export is {export.get_status_display().lower()}", field="export", status_code=409
        )
    path = Path(settings.PRIVATE_FILES_DIR) / export.file_name
    if not export.file_name or not path.is_file():
        raise ActionError("this export's file is gone; prepare a new one", field="export", status_code=410)
    return path


def record_download(export, *, actor, now=None) -> Path:
    """Check the export can be downloaded, count the download and audit who took it: which
    export and how many rows of each kind, never what they hold."""
    now = now or timezone.now()
    path = downloadable_path(export, now=now)
    AccessExport.objects.filter(pk=export.pk).update(downloads=F("downloads") + 1, last_downloaded_at=now)
    built = (
        AuditEvent.objects.filter(
            organisation_id=export.organisation_id,
            action="access_export.built",
            object_type="accessexport",
            object_id=str(export.pk),
        )
        .values_list("changes", flat=True)
        .first()
    )
    audit.record(
        "access_export.downloaded",
        organisation=export.organisation,
        actor=actor,
        obj=export,
        changes={
            "subject": "lead" if export.lead_id else "member",
            "size_bytes": export.size_bytes,
            "counts": (built or {}).get("counts", {}),
        },
    )
    return path


def expired_exports(org, now):
    """Ready exports past their date: their files go in the retention purge."""
    return AccessExport.objects.filter(organisation=org, status=ExportStatus.READY, expires_at__lte=now)


def expire_exports(queryset) -> int:
    """Delete the files of the given exports and mark them expired (the row stays: that an
    export was made, for whom and when, is the register's record)."""
    exports = list(queryset.only("pk", "file_name"))
    base = Path(settings.PRIVATE_FILES_DIR)
    for export in exports:
        if export.file_name:
            (base / export.file_name).unlink(missing_ok=True)
    return queryset.model.objects.filter(pk__in=[e.pk for e in exports]).update(
        status=ExportStatus.EXPIRED, file_name=""
    )


def export_to_file(org, out_path, *, lead=None, member=None, actor=None) -> dict[str, int]:
    """The command's export: written straight to ``out_path`` (atomically), audited with counts.
    No register row: the file is wherever the operator put it, outside the server's expiry."""
    actor = actor or audit.Actor.system()
    subject = Subject(org=org, lead=lead, member=member)
    counts, size, _sha = write_atomically(subject, Path(out_path))
    audit.record(
        "access_export.written",
        organisation=org,
        actor=actor,
        object_type="lead" if lead is not None else "membership",
        object_id=str((lead or member).pk),
        changes={"counts": {k: n for k, n in counts.items() if n}, "size_bytes": size},
    )
    return counts
