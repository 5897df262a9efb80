"""The exporters of accounts, attendance, the privacy center's own records and the framework's
tables (task results, the site admin log, sessions)."""

from collections.abc import Iterable, Iterator

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadtracker.accounts.audit import number_fingerprint
from leadtracker.accounts.models import (
    ApiToken,
    AuditEvent,
    IdempotentRequest,
    Invitation,
    Membership,
    Notification,
    PushPreference,
    PushSubscription,
    RecoveryCode,
    SupportRequest,
    TotpDevice,
)
from leadtracker.attendance.models import Shift
from leadtracker.calls.models import Device
from leadtracker.leads.models import (
    Activity,
    ConsentEvent,
    FollowUp,
    Lead,
    LeadPhone,
    TrashedLead,
)
from leadtracker.privacy.export.sales_rows import identifiers, lead_calls_qs, lead_numbers
from leadtracker.privacy.export.values import chunks, only, person_name, plain, stream, value
from leadtracker.privacy.models import (
    AccessExport,
    DataRequest,
    ErasureRecord,
    LegalHold,
    NoticeAcceptance,
)
from leadtracker.reports.models import UserDay, UserHour

# --- accounts and attendance -----------------------------------------------------------------


def member_account(subject):
    user = subject.member.user
    # Never the password hash, nor the staff flags of the server's operators.
    yield plain(
        user, ["id", "email", "full_name", "phone", "is_active", "date_joined", "last_login"], subject.tz
    )


def member_memberships(subject):
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


def member_invitations(subject):
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
        yield row if theirs else only(row, {*names, "their_part"})


def member_api_tokens(subject):
    qs = ApiToken.objects.filter(organisation=subject.org, user_id=subject.user_id).order_by(
        "created_at", "pk"
    )
    for t in qs:
        yield plain(
            t, ["id", "kind", "name", "prefix", "created_at", "last_used_at", "revoked_at"], subject.tz
        )


def member_notifications(subject):
    qs = Notification.objects.filter(organisation=subject.org, user_id=subject.user_id)
    # The text names leads ("Call back Ravi …"): when and where to, not what it said.
    for n in stream(qs.order_by("created_at", "pk")):
        yield plain(n, ["id", "url", "created_at", "read_at"], subject.tz)


def member_idempotent_requests(subject):
    qs = IdempotentRequest.objects.filter(organisation=subject.org, user_id=subject.user_id)
    # The kept answer may name leads: which write and when, not what it answered.
    for r in stream(qs.order_by("created_at", "pk")):
        yield plain(r, ["id", "key", "method", "path", "status", "created_at"], subject.tz)


def member_push_subscriptions(subject):
    qs = PushSubscription.objects.filter(organisation=subject.org, user_id=subject.user_id)
    # The keys are secrets of the browser's: which browser and when, not how to write to it.
    for p in stream(qs.order_by("created_at", "pk")):
        yield plain(p, ["id", "endpoint", "user_agent", "created_at", "last_sent_at"], subject.tz)


def member_push_preferences(subject):
    qs = PushPreference.objects.filter(organisation=subject.org, user_id=subject.user_id)
    for p in qs.order_by("pk"):
        yield plain(p, ["id", "kinds_off", "off_shift", "updated_at"], subject.tz)


def member_support_requests(subject):
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
            else only(row, {"id", "status", "answered_at", "created_at", "their_part"})
        )


def member_shifts(subject):
    qs = Shift.objects.filter(organisation=subject.org).filter(
        Q(user_id=subject.user_id) | Q(corrected_by_id=subject.user_id)
    )
    for s in stream(qs.select_related("corrected_by").order_by("started_at", "pk")):
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
        yield row if own else only(row, {"id", "their_part"})


def _audit_row(e, subject, own: bool):
    names = ["id", "at", "action", "object_type", "object_id", "actor_kind", "changes"]
    row = plain(e, [*names, "ip_address", "user_agent"], subject.tz, actor=person_name(e.actor_user))
    # The actor's address and browser are the actor's data: shown when the actor is the subject.
    return row if own else only(row, {*names, "actor"})


def _audit_about(subject, refs: dict[str, Iterable]) -> Iterator:
    seen = set()
    for object_type, ids in refs.items():
        for chunk in chunks(str(i) for i in ids):
            qs = AuditEvent.objects.filter(
                organisation=subject.org, object_type=object_type, object_id__in=chunk
            )
            for e in qs.select_related("actor_user").order_by("at", "pk"):
                if e.pk not in seen:
                    seen.add(e.pk)
                    yield e


def lead_audit_events(subject):
    lead = subject.lead
    call_ids = subject.cache.get("call_ids")
    if call_ids is None:
        call_ids = list(lead_calls_qs(subject).values_list("pk", flat=True))
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
    prints = [number_fingerprint(subject.org.pk, n, subject.org.phone_region) for n in lead_numbers(subject)]
    if prints:
        searches = AuditEvent.objects.filter(
            organisation=subject.org, action="lead.search_number", changes__number_hash__in=prints
        ).select_related("actor_user")
        events.update((e.pk, e) for e in searches)
    for e in sorted(events.values(), key=lambda e: (e.at, e.pk)):
        yield _audit_row(e, subject, own=False)


def member_audit_events(subject):
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
    for e in stream(qs.order_by("at", "pk")):
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


def lead_data_requests(subject):
    yield from _requests_about(subject, DataRequest.objects.filter(lead=subject.lead))


def member_data_requests(subject):
    uid = subject.user_id
    yield from _requests_about(subject, DataRequest.objects.filter(member=subject.member))
    # Requests they registered or closed for others: which and when, not who asked or what.
    handled = (
        DataRequest.objects.filter(organisation=subject.org)
        .filter(Q(closed_by_id=uid) | Q(created_by_id=uid))
        .exclude(member=subject.member)
    )
    for row in _requests_about(subject, handled, their_part="handled"):
        yield only(row, {"id", "kind", "received_at", "status", "closed_at", "their_part"})


def member_notice_acceptances(subject):
    qs = NoticeAcceptance.objects.filter(organisation=subject.org, user_id=subject.user_id)
    for a in qs.select_related("notice").order_by("accepted_at", "pk"):
        yield plain(a, ["id", "notice", "version", "accepted_at"], subject.tz, notice_title=a.notice.title)


def _holds(subject, qs):
    for h in qs.select_related("created_by").order_by("created_at", "pk"):
        yield plain(
            h, ["id", "reason", "created_at", "released_at"], subject.tz, created_by=person_name(h.created_by)
        )


def lead_legal_holds(subject):
    yield from _holds(subject, LegalHold.objects.filter(lead=subject.lead))


def member_legal_holds(subject):
    yield from _holds(subject, LegalHold.objects.filter(member=subject.member))


EXPORT_FIELDS = ["id", "data_request", "status", "created_at", "finished_at", "expires_at", "downloads"]


def lead_exports(subject):
    for x in AccessExport.objects.filter(lead=subject.lead).order_by("created_at", "pk"):
        yield plain(x, EXPORT_FIELDS, subject.tz, their_part="about them")


def member_exports(subject):
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


def member_erasures(subject):
    qs = ErasureRecord.objects.filter(organisation=subject.org, erased_by_id=subject.user_id)
    # Erasures they carried out; the ledger's hashes identify the erased, so they stay out.
    for r in qs.order_by("erased_at", "pk"):
        yield plain(
            r, ["id", "subject_kind", "erased_at", "data_request"], subject.tz, their_part="carried out"
        )


def lead_notifications(subject):
    # Reminders about the lead: their text names it and their link opens it.
    url = reverse("lead_detail", args=[subject.lead.pk])
    qs = Notification.objects.filter(organisation=subject.org, url__startswith=url).select_related("user")
    for n in stream(qs.order_by("created_at", "pk")):
        yield plain(
            n, ["id", "text", "url", "created_at", "read_at"], subject.tz, sent_to=person_name(n.user)
        )


def _task_results(subject, needles, *, payload=True):
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
    for t in stream(qs.order_by("enqueued_at")):
        yield plain(t, names, subject.tz, id=str(t.pk))


def lead_task_results(subject):
    """Background jobs whose arguments, result or error mention the lead's number or e-mail
    (an e-mailed reminder, say); kept for 30 days after they finish."""
    yield from _task_results(subject, identifiers(subject))


def member_task_results(subject):
    # E-mails to them (reminders, alerts) are jobs whose arguments hold their address; what
    # the e-mails said names leads, so only which job and when.
    yield from _task_results(subject, [subject.member.user.email], payload=False)


def _admin_log(subject, refs):
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


def lead_trash(subject):
    """Older leads of the same person in the trash (one of the numbers or the e-mail), whole:
    their snapshot is the organisation's record about them until it is purged."""
    q = Q()
    for number in lead_numbers(subject):
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


def lead_admin_log(subject):
    yield from _admin_log(subject, [(Lead, subject.lead.pk)])


def member_admin_log(subject):
    yield from _admin_log(subject, [(Membership, subject.member.pk), (subject.member.user, subject.user_id)])


def member_sessions(subject):
    """Their signed-in sessions (until when), found by decoding the live ones; the session key
    is a credential and is never exported."""
    uid = str(subject.user_id)
    for s in stream(Session.objects.filter(expire_date__gt=timezone.now()).order_by("expire_date")):
        if str(s.get_decoded().get("_auth_user_id")) == uid:
            yield {"expires_at": value(s.expire_date, subject.tz)}


CONSENT_FIELDS = ["id", "purpose", "given", "method", "notice_version", "note", "occurred_at"]


def _consents(subject, qs):
    for c in stream(qs.select_related("recorded_by").order_by("occurred_at", "pk")):
        yield plain(c, CONSENT_FIELDS, subject.tz, recorded_by=person_name(c.recorded_by))


def lead_consents(subject):
    yield from _consents(subject, ConsentEvent.objects.filter(lead=subject.lead))


def member_consents(subject):
    yield from _consents(subject, ConsentEvent.objects.filter(member=subject.member))


def member_mfa_devices(subject):
    # When they set up sign-in codes; the sealed secret never leaves the server.
    for d in TotpDevice.objects.filter(user_id=subject.user_id).order_by("created_at", "pk"):
        yield plain(d, ["id", "created_at", "confirmed_at"], subject.tz)


def member_recovery_codes(subject):
    for c in RecoveryCode.objects.filter(user_id=subject.user_id).order_by("created_at", "pk"):
        yield plain(c, ["id", "created_at", "used_at"], subject.tz)


def _member_rollups(model, subject):
    # Counters of their own calls and shift time: theirs, and naming no lead.
    skip = {"organisation", "user"}
    names = [f.name for f in model._meta.concrete_fields if f.name not in skip]
    qs = model.objects.filter(organisation=subject.org, user_id=subject.user_id).order_by(
        *[n for n in ("day", "hour") if n in names]
    )
    for row in stream(qs):
        yield plain(row, names, subject.tz)


def member_days(subject):
    yield from _member_rollups(UserDay, subject)


def member_hours(subject):
    yield from _member_rollups(UserHour, subject)
