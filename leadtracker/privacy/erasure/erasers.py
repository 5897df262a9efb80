"""Erasure: a lead's or a leaving member's personal data deleted or irreversibly anonymised.

``ERASERS`` maps every model that holds personal data (see personal_data.py) to what erasure
does with its rows, per kind of subject; the completeness test holds the two to each other.
Each eraser takes a ``Target`` and returns how many rows (or files) it changed, or with
``target.dry_run`` how many it would change — the counts shown before an erasure are the
same code paths as the erasure itself.

A lead's row stays, anonymised (``erased_at`` set), so counts, durations, the funnel and
conversion by source still add up; so do its calls, without their numbers. Every erasure is
written to the ledger (ledger.py) as keyed hashes of the identifiers, so it can be replayed
after an older backup is restored.
"""

import csv
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from leadtracker.accounts import audit
from leadtracker.accounts.actions import deactivate_member
from leadtracker.accounts.models import (
    ApiToken,
    AuditEvent,
    IdempotentRequest,
    Invitation,
    Notification,
    PushPreference,
    PushSubscription,
    SupportRequest,
    User,
)
from leadtracker.attendance.models import Shift
from leadtracker.automation.models import RuleRun
from leadtracker.calls.models import Call, CallBack, Device, PairingCode
from leadtracker.integrations.models import Payload
from leadtracker.leads.imports.reader import BrokenLine, open_table
from leadtracker.leads.models import (
    Activity,
    DeliveryState,
    FollowUp,
    ImportJob,
    ImportState,
    Lead,
    LeadPhone,
    LeadTag,
    SavedView,
    TrashedLead,
    WebhookDelivery,
)
from leadtracker.lib import spreadsheet
from leadtracker.lib.phones import InvalidPhone, normalise, to_ascii_digits
from leadtracker.privacy.erasure.target import Target, scrub
from leadtracker.privacy.models import AccessExport, DataRequest, LegalHold

# A member's e-mail after erasure: unique per user, in a domain that can never receive mail.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def _mentions(value, needles) -> bool:
    text = (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)).casefold()
    return any(n.casefold() in text for n in needles)


def _escaped(needles) -> list[str]:
    """Needles also as JSON text stores them on SQLite (non-ASCII as \\uXXXX escapes)."""
    return sorted({json.dumps(n)[1:-1] for n in needles} | set(needles), key=lambda s: (-len(s), s))


def _mentioning(qs, fields, needles):
    """Rows where any of ``fields`` holds a needle. JSON columns are compared as their text
    (a JSON lookup would compare whole JSON values), in both the plain and escaped spelling."""
    q = Q()
    for name in fields:
        alias = f"_erasure_{name}"
        qs = qs.annotate(**{alias: Cast(name, TextField())})
        for needle in _escaped(needles):
            q |= Q(**{f"{alias}__icontains": needle})
    return qs.filter(q) if needles else qs.none()


def _of_lead(t: Target, model):
    """``model``'s rows about the lead: pointing at it, or (for a lead in the trash) pointing at
    it before it was trashed."""
    q = Q(lead=t.lead)
    pks = t.linked.get(model._meta.label_lower)
    if pks:
        q |= Q(pk__in=pks)
    return model.objects.filter(q)


def _apply(target: Target, qs, **changes) -> int:
    if target.dry_run:
        return qs.count()
    return qs.update(**changes)


def _delete(target: Target, qs) -> int:
    if target.dry_run:
        return qs.count()
    return models.QuerySet.delete(qs)[1].get(qs.model._meta.label, 0)


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


# --- a lead ----------------------------------------------------------------------------------


def _lead_row(t: Target) -> int:
    return _apply(
        t,
        Lead.objects.filter(pk=t.lead.pk),
        name="",
        company="",
        email="",
        phone="",
        phone_raw="",
        city="",
        address="",
        lost_reason="",
        extra={},
        # Every custom value goes: any of them may say who the person is (a second number, a PAN).
        custom_fields={},
        marketing_consent=False,
        # Nobody may call a number the organisation no longer knows: the row stays for counts.
        do_not_call=True,
        erased_at=t.now,
        updated_at=t.now,
    )


def _lead_phones(t: Target) -> int:
    return _delete(t, LeadPhone.objects.filter(lead=t.lead))


def _lead_tags(t: Target) -> int:
    # A tag says something about the person ("wants a loan"): it goes with the rest.
    return _delete(t, LeadTag.objects.filter(lead=t.lead))


def _lead_activities(t: Target) -> int:
    rows = Activity.objects.filter(lead=t.lead)
    changed = 0
    # ``data`` holds ids, field names and kinds (the funnel reads status changes from it);
    # only a reassignment's typed reason is free text, and a note's sentence kept to be read in
    # the reader's language ("said": "Came back through IndiaMART: Steel Almirah.") names what
    # the person asked about.
    for activity in rows.filter(Q(data__has_key="reason") | Q(data__has_key="said")).only("pk", "data"):
        changed += 1
        if not t.dry_run:
            data = {k: v for k, v in activity.data.items() if k != "said"}
            if "reason" in data:
                data["reason"] = ""
            Activity.objects.filter(pk=activity.pk).update(data=data)
    return changed + _apply(t, rows.exclude(body=""), body="")


def _lead_follow_ups(t: Target) -> int:
    return _apply(
        t, FollowUp.objects.filter(lead=t.lead).filter(~Q(note="") | ~Q(outcome="")), note="", outcome=""
    )


def _lead_rule_runs(t: Target) -> int:
    # The rule log's lines about the lead go: they are its timeline's, and say what was done to it.
    return _delete(t, _of_lead(t, RuleRun))


def _lead_webhook_deliveries(t: Target) -> int:
    rows = _of_lead(t, WebhookDelivery)
    # A pending delivery would tell the receiver about a person who is gone: it is dropped.
    dropped = _delete(t, rows.filter(state=DeliveryState.PENDING))
    return dropped + _apply(t, rows.exclude(state=DeliveryState.PENDING), data={}, last_error="")


def _row_mentions(cells, t: Target) -> bool:
    for cell in cells:
        text = str(cell or "").strip()
        if not text:
            continue
        if text.casefold() in {e.casefold() for e in t.emails} or _mentions(text, t.needles):
            return True
        if any(ch.isdigit() for ch in to_ascii_digits(text)):
            try:
                if normalise(text, t.org.phone_region) in t.phones:
                    return True
            except InvalidPhone:
                pass
    return False


def _file_mentions(path: str, t: Target) -> bool:
    try:
        table = open_table(path)
    except (OSError, ValueError):
        return False
    try:
        if _row_mentions(table.headers or [], t):
            return True
        return any(not isinstance(row, BrokenLine) and _row_mentions(row, t) for row in table.rows)
    finally:
        table.close()


def _rewrite_report(path: str, t: Target) -> int:
    """Drop the person's rows from an import's error report; returns how many went."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    kept = [rows[0]] + [r for r in rows[1:] if not _row_mentions(r, t)] if rows else []
    dropped = len(rows) - len(kept)
    if dropped and not t.dry_run:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".csv")
        with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as fh:
            spreadsheet.CsvWriter(fh).writerows(kept)
        os.replace(tmp, path)
    return dropped


def _lead_imports(t: Target) -> int:
    """Uploaded spreadsheets holding the person's row are deleted (an import not yet run is
    failed: running it would bring the person back); error reports lose their rows."""
    changed = 0
    # An organisation runs few imports: each is looked at, for its files and for the first
    # errors and warnings its result page lists (their values are the file's cells).
    for job in ImportJob.objects.filter(organisation=t.org):
        if job.error_report_path and os.path.exists(job.error_report_path):
            changed += _rewrite_report(job.error_report_path, t)
        kept = [i for i in job.first_issues if not _row_mentions([str(v) for v in i.values()], t)]
        if len(kept) != len(job.first_issues):
            changed += len(job.first_issues) - len(kept)
            if not t.dry_run:
                ImportJob.objects.filter(pk=job.pk).update(first_issues=kept)
        if job.stored_path and os.path.exists(job.stored_path) and _file_mentions(job.stored_path, t):
            changed += 1
            if t.dry_run:
                continue
            os.remove(job.stored_path)
            fields = {"stored_path": ""}
            if job.state in (ImportState.UPLOADED, ImportState.QUEUED):
                fields.update(
                    state=ImportState.FAILED,
                    failure="the file was deleted: it held a person whose data was erased",
                    finished_at=t.now,
                )
            ImportJob.objects.filter(pk=job.pk).update(**fields)
    return changed


def _lead_calls(t: Target) -> int:
    # Calls never matched to the lead carry its number too.
    rows = Call.objects.filter(
        Q(pk__in=_of_lead(t, Call).values("pk")) | Q(organisation=t.org, number__in=t.phones)
    )
    # Duration, status, direction, times, agent and lead stay: reports count them.
    return _apply(t, rows.filter(~Q(number="") | ~Q(note="")), number="", note="")


def _lead_call_backs(t: Target) -> int:
    rows = CallBack.objects.filter(Q(lead=t.lead) | Q(organisation=t.org, number__in=t.phones))
    # Nobody is to call back a person who is gone; the returned ones stay as measurements.
    dropped = _delete(t, rows.filter(closed_at__isnull=True))
    return dropped + _apply(t, rows.filter(closed_at__isnull=False).exclude(number=""), number="")


def _lead_payloads(t: Target) -> int:
    # What a provider sent about the person: those that made or found the lead, and any other
    # (a failed one) naming its number or e-mail. Deleted: a log has no figures to keep.
    rows = Payload.objects.filter(organisation=t.org)
    named = _mentioning(rows, ["body"], t.needles).values("pk")
    return _delete(t, Payload.objects.filter(Q(lead=t.lead) | Q(pk__in=named)))


def _lead_notifications(t: Target) -> int:
    rows = Notification.objects.filter(organisation=t.org)
    linked = rows.filter(url__startswith=f"/leads/{t.lead.pk}/").values("pk")
    named = _mentioning(rows, ["text"], t.needles).values("pk")
    return _delete(t, Notification.objects.filter(Q(pk__in=linked) | Q(pk__in=named)))


def _rewrite_json(value, needles):
    return json.loads(scrub(json.dumps(value, ensure_ascii=False), needles))


def _lead_audit_events(t: Target) -> int:
    # The log is append-only for the application; erasure is the one writer allowed to
    # rewrite an event, and only the part that would identify the person.
    rows = _mentioning(AuditEvent.objects.filter(organisation=t.org), ["changes", "user_agent"], t.needles)
    changed = 0
    for event in rows.only("pk", "changes", "user_agent"):
        changed += 1
        if not t.dry_run:
            models.QuerySet.update(
                AuditEvent.objects.filter(pk=event.pk),
                changes=_rewrite_json(event.changes, t.needles),
                user_agent=scrub(event.user_agent, t.needles),
            )
    return changed


def _lead_task_results(t: Target) -> int:
    DBTaskResult = _model("django_tasks_database.DBTaskResult")
    if DBTaskResult is None:
        return 0
    # A queued job about the person is dropped with them: it has nobody left to work on.
    found = _mentioning(DBTaskResult.objects.all(), ["args_kwargs", "return_value", "traceback"], t.needles)
    return _delete(t, DBTaskResult.objects.filter(pk__in=found.values("pk")))


def _requests_text(t: Target, rows) -> int:
    """The register keeps that a request was made and how it was answered (kind, dates,
    status, outcome); who asked, what they wrote and how they proved who they were go."""
    changed = 0
    for req in rows.only("pk", "outcome", "refusal_reason"):
        changed += 1
        if not t.dry_run:
            DataRequest.objects.filter(pk=req.pk).update(
                requested_by="",
                details="",
                verification_note="",
                outcome=scrub(req.outcome, t.needles),
                refusal_reason=scrub(req.refusal_reason, t.needles),
            )
    return changed


def _lead_data_requests(t: Target) -> int:
    return _requests_text(t, _of_lead(t, DataRequest).filter(organisation=t.org))


def _holds_text(t: Target, rows) -> int:
    changed = 0
    for hold in rows.only("pk", "reason"):
        new = scrub(hold.reason, t.needles)
        if new != hold.reason:
            changed += 1
            if not t.dry_run:
                LegalHold.objects.filter(pk=hold.pk).update(reason=new)
    return changed


def _lead_holds(t: Target) -> int:
    return _holds_text(t, LegalHold.objects.filter(organisation=t.org, lead=t.lead))


def _exports(t: Target, rows) -> int:
    """A built access export is a copy of everything about the person: the file goes."""
    changed = 0
    for export in rows.exclude(file_name=""):
        changed += 1
        if t.dry_run:
            continue
        path = os.path.join(settings.PRIVATE_FILES_DIR, export.file_name)
        if os.path.exists(path):
            os.remove(path)
        AccessExport.objects.filter(pk=export.pk).update(file_name="", status="expired", expires_at=t.now)
    return changed


def _lead_exports(t: Target) -> int:
    return _exports(t, _of_lead(t, AccessExport).filter(organisation=t.org))


def _lead_consents(t: Target) -> int:
    ConsentEvent = _model("leads.ConsentEvent")
    rows = ConsentEvent.objects.filter(lead=t.lead).exclude(note="")
    if t.dry_run:
        return rows.count()
    return ConsentEvent.objects.erase_for_lead(t.lead)


def _lead_trash(t: Target) -> int:
    """The person's copies in the trash (this lead, or an older lead with one of their numbers
    or their e-mail): deleted whole, as the purge would in a few days."""
    q = Q(pk=t.lead.pk)
    for e164 in t.phones:
        q |= Q(numbers__contains=f" {e164} ")
    if t.emails:
        q |= Q(email__in=t.emails)
    return _delete(t, TrashedLead.objects.filter(organisation=t.org).filter(q))


def _lead_admin_log(t: Target) -> int:
    ct = ContentType.objects.get_for_model(Lead)
    return _delete(t, LogEntry.objects.filter(content_type=ct, object_id=str(t.lead.pk)))


# --- a member --------------------------------------------------------------------------------


def _member_user(t: Target) -> int:
    """The profile, when this was the person's last active membership; another organisation
    still working with them keeps the name it knows them by."""
    if not t.whole_user:
        return 0
    if t.dry_run:
        return 1
    User.objects.filter(pk=t.user_id).update(
        email=f"erased-{t.user_id}@{ERASED_EMAIL_DOMAIN}",
        full_name="",
        phone="",
        is_active=False,
        is_staff=False,
        is_superuser=False,
        password=make_password(None),
    )
    return 1


def _member_membership(t: Target) -> int:
    if t.dry_run:
        return int(t.member.is_active)
    if not t.member.is_active:
        return 0
    # Deactivation revokes the member's tokens and moves their reports to their manager.
    deactivate_member(t.member, actor=audit.Actor.system())
    return 1


def _member_shifts(t: Target) -> int:
    located = Q(start_lat__isnull=False) | Q(start_lon__isnull=False) | Q(end_lat__isnull=False)
    located |= Q(end_lon__isnull=False) | ~Q(correction_reason="")
    return _apply(
        t,
        Shift.objects.filter(organisation=t.org, user_id=t.user_id).filter(located),
        start_lat=None,
        start_lon=None,
        start_accuracy_m=None,
        end_lat=None,
        end_lon=None,
        end_accuracy_m=None,
        correction_reason="",
    )


def _member_devices(t: Target) -> int:
    rows = Device.objects.filter(organisation=t.org, user_id=t.user_id)
    # The name is often the person's ("Raj's phone"); platform and versions say nothing of them.
    changed = _apply(t, rows.filter(revoked_at__isnull=True), revoked_at=t.now)
    return changed + _apply(t, rows.exclude(name="Erased device"), name="Erased device")


def _member_tokens(t: Target) -> int:
    rows = ApiToken.objects.filter(organisation=t.org, user_id=t.user_id)
    changed = _apply(t, rows.filter(revoked_at__isnull=True), revoked_at=t.now)
    return changed + _apply(t, rows.exclude(name=""), name="")


def _member_pairing_codes(t: Target) -> int:
    return _delete(t, PairingCode.objects.filter(organisation=t.org, user_id=t.user_id))


def _member_notifications(t: Target) -> int:
    return _delete(t, Notification.objects.filter(organisation=t.org, user_id=t.user_id))


def _member_push(t: Target) -> int:
    # The browsers' addresses and keys: no notification reaches an erased person's phone.
    prefs = _delete(t, PushPreference.objects.filter(organisation=t.org, user_id=t.user_id))
    return prefs + _delete(t, PushSubscription.objects.filter(organisation=t.org, user_id=t.user_id))


def _lead_idempotent_requests(t: Target) -> int:
    # A kept answer (the API's lead as created) may hold the lead's details; without it a resend
    # of the same key within the day is done again, and a write about an erased lead then fails.
    return _delete(t, IdempotentRequest.objects.filter(organisation=t.org).exclude(body=b""))


def _member_idempotent_requests(t: Target) -> int:
    return _delete(t, IdempotentRequest.objects.filter(user_id=t.user_id, organisation=t.org))


def _member_saved_views(t: Target) -> int:
    return _delete(t, SavedView.objects.filter(organisation=t.org, owner_id=t.user_id))


def _member_support(t: Target) -> int:
    return _apply(
        t,
        SupportRequest.objects.filter(organisation=t.org, requester_id=t.user_id),
        subject="",
        message="",
        answer="",
    )


def _member_audit_events(t: Target) -> int:
    rows = AuditEvent.objects.filter(organisation=t.org, actor_user_id=t.user_id).filter(
        Q(ip_address__isnull=False) | ~Q(user_agent="")
    )
    if t.dry_run:
        return rows.count()
    return models.QuerySet.update(rows, ip_address=None, user_agent="")


def _member_invitations(t: Target) -> int:
    return _delete(t, Invitation.objects.filter(organisation=t.org, email__in=t.emails))


def _member_data_requests(t: Target) -> int:
    return _requests_text(t, DataRequest.objects.filter(organisation=t.org, member=t.member))


def _member_holds(t: Target) -> int:
    return _holds_text(t, LegalHold.objects.filter(organisation=t.org, member=t.member))


def _member_exports(t: Target) -> int:
    return _exports(t, AccessExport.objects.filter(organisation=t.org, member=t.member))


def _member_consents(t: Target) -> int:
    ConsentEvent = _model("leads.ConsentEvent")
    rows = ConsentEvent.objects.filter(member=t.member).exclude(note="")
    if t.dry_run:
        return rows.count()
    return ConsentEvent.objects.erase_for_member(t.member)


def _member_second_factor(t: Target) -> int:
    # A second factor of an account nobody can sign in to any more is dead weight.
    if not t.whole_user:
        return 0
    changed = 0
    for label in ("accounts.TotpDevice", "accounts.RecoveryCode"):
        model = _model(label)
        if model is not None:
            changed += _delete(t, model.objects.filter(user_id=t.user_id))
    return changed


def _member_sessions(t: Target) -> int:
    if not t.whole_user:
        return 0
    doomed = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=t.now).only("pk", "session_data")
        if str(s.get_decoded().get("_auth_user_id")) == str(t.user_id)
    ]
    return _delete(t, Session.objects.filter(pk__in=doomed))


def _member_admin_log(t: Target) -> int:
    if not t.whole_user:
        return 0
    ct = ContentType.objects.get_for_model(User)
    return _delete(t, LogEntry.objects.filter(content_type=ct, object_id=str(t.user_id)))


@dataclass(frozen=True)
class Eraser:
    """What erasure does to one model's rows, per subject; None with ``none_because`` when
    the model holds nothing about that kind of subject that erasure should change."""

    kind: str
    lead: Callable[[Target], int] | None = None
    member: Callable[[Target], int] | None = None
    none_because: str = ""


NO_LEAD = "holds nothing about a lead"
NO_MEMBER = "holds nothing about a member"

ERASERS: dict[str, Eraser] = {
    "leads.Lead": Eraser(
        "lead", _lead_row, None, "the leads a member owned are not about the member (the owner stays an id)"
    ),
    "leads.LeadPhone": Eraser("phones", _lead_phones, None, NO_MEMBER),
    "leads.LeadTag": Eraser("tags", _lead_tags, None, NO_MEMBER),
    "leads.Activity": Eraser("activities", _lead_activities, None, NO_MEMBER),
    "leads.FollowUp": Eraser("follow_ups", _lead_follow_ups, None, NO_MEMBER),
    "leads.WebhookDelivery": Eraser("webhook_deliveries", _lead_webhook_deliveries, None, NO_MEMBER),
    "leads.ImportJob": Eraser("import_files", _lead_imports, None, NO_MEMBER),
    "leads.ConsentEvent": Eraser("consents", _lead_consents, _member_consents),
    "leads.TrashedLead": Eraser("trashed_leads", _lead_trash, None, NO_MEMBER),
    "leads.SavedView": Eraser("saved_views", None, _member_saved_views, NO_LEAD),
    "automation.RuleRun": Eraser("rule_runs", _lead_rule_runs, None, NO_MEMBER),
    "calls.Call": Eraser(
        "calls", _lead_calls, None, "a member's calls are work records; the number is the lead's"
    ),
    "calls.CallBack": Eraser("call_backs", _lead_call_backs, None, NO_MEMBER),
    "integrations.Payload": Eraser("integration_payloads", _lead_payloads, None, NO_MEMBER),
    "calls.Device": Eraser("devices", None, _member_devices, NO_LEAD),
    "calls.PairingCode": Eraser("pairing_codes", None, _member_pairing_codes, NO_LEAD),
    "accounts.User": Eraser("profile", None, _member_user, NO_LEAD),
    "accounts.Membership": Eraser("membership", None, _member_membership, NO_LEAD),
    "accounts.Invitation": Eraser("invitations", None, _member_invitations, NO_LEAD),
    "accounts.ApiToken": Eraser("api_tokens", None, _member_tokens, NO_LEAD),
    "accounts.Notification": Eraser("notifications", _lead_notifications, _member_notifications),
    "accounts.IdempotentRequest": Eraser(
        "resend_keys", _lead_idempotent_requests, _member_idempotent_requests
    ),
    "accounts.PushSubscription": Eraser("push_subscriptions", None, _member_push, NO_LEAD),
    "accounts.PushPreference": Eraser(
        "push_preferences", None, None, "deleted with the push subscriptions (their eraser)"
    ),
    "accounts.SupportRequest": Eraser("support_requests", None, _member_support, NO_LEAD),
    "accounts.AuditEvent": Eraser("audit_events", _lead_audit_events, _member_audit_events),
    "accounts.TotpDevice": Eraser("second_factor", None, _member_second_factor, NO_LEAD),
    "accounts.RecoveryCode": Eraser(
        "recovery_codes", None, None, "deleted with the second factor (accounts.TotpDevice's eraser)"
    ),
    "attendance.Shift": Eraser("shift_locations", None, _member_shifts, NO_LEAD),
    "privacy.NoticeAcceptance": Eraser(
        "notice_acceptances",
        None,
        None,
        "kept as the record that the notice was accepted (version and time); the profile it "
        "points to is anonymised",
    ),
    "privacy.DataRequest": Eraser("data_requests", _lead_data_requests, _member_data_requests),
    "privacy.LegalHold": Eraser("legal_holds", _lead_holds, _member_holds),
    "privacy.AccessExport": Eraser("exports", _lead_exports, _member_exports),
    "django_tasks_database.DBTaskResult": Eraser(
        "task_results", _lead_task_results, None, "jobs are given ids of members, never their details"
    ),
    "admin.LogEntry": Eraser("admin_log", _lead_admin_log, _member_admin_log),
    "sessions.Session": Eraser("sessions", None, _member_sessions, NO_LEAD),
    "reports.UserDay": Eraser(
        "user_days", None, None, "counts and durations per agent and day, by id: kept so reports add up"
    ),
    "reports.UserHour": Eraser(
        "user_hours", None, None, "counts and durations per agent and hour, by id: kept so reports add up"
    ),
}

# Erasers run in this order: the lead's own row last, so the others still see its details.
_LAST = ("leads.LeadPhone", "leads.Lead", "accounts.Membership", "accounts.User")


def _ordered():
    labels = [label for label in ERASERS if label not in _LAST] + list(_LAST)
    return [(label, ERASERS[label]) for label in labels if _model(label) is not None]


def run(target: Target) -> dict[str, int]:
    counts = {}
    for _label, eraser in _ordered():
        fn = getattr(eraser, target.kind)
        if fn is None:
            continue
        n = fn(target)
        if n:
            counts[eraser.kind] = counts.get(eraser.kind, 0) + n
    return counts
