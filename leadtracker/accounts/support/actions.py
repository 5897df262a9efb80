"""Support requests: a member asks the organisation's admins for help, an admin answers or
closes. Their own sub-package because they share nothing with the rest of accounts' actions
but the audit log; each function records its audit event."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, SupportRequest, SupportStatus
from leadtracker.accounts.notifications import later, notify
from leadtracker.lib.errors import ActionError, Conflict

# Support requests. Limits counted in characters (code points), so a Hindi or emoji message
# gets the same room as an English one.
SUPPORT_SUBJECT_MAX = 150
SUPPORT_TEXT_MAX = 5000


def _support_text(value, *, field: str, label: str, maximum: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ActionError(_("%(field)s is required") % {"field": label}, field=field)
    if len(text) > maximum:
        raise ActionError(
            _("%(field)s is too long: at most %(maximum)s characters (this has %(length)s)")
            % {"field": label, "maximum": maximum, "length": len(text)},
            field=field,
        )
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; answer with the field rather than a server error.
        raise ActionError(_("%(field)s may not contain NUL characters") % {"field": label}, field=field)
    return text


def file_support_request(
    requester: Membership, *, subject: str, message: str, actor: Actor
) -> SupportRequest:
    subject = _support_text(
        subject, field="subject", label=gettext_lazy("Subject"), maximum=SUPPORT_SUBJECT_MAX
    )
    message = _support_text(message, field="message", label=gettext_lazy("Message"), maximum=SUPPORT_TEXT_MAX)
    if not requester.is_active:
        raise ActionError(_("the member is deactivated"), field="member", status_code=403)
    with transaction.atomic():
        support_request = SupportRequest.objects.create(
            organisation_id=requester.organisation_id,
            requester_id=requester.user_id,
            subject=subject,
            message=message,
        )
        # The subject and message stay out of the log: they may name people.
        record(
            "support_request.file",
            organisation=requester.organisation,
            actor=actor,
            obj=support_request,
            changes={"status": SupportStatus.OPEN},
        )
    return support_request


def _require_support_admin(by: Membership) -> None:
    if not by.is_admin:
        raise ActionError(_("only an admin or owner can do this"), field="support_request", status_code=403)


def answer_support_request(
    support_request: SupportRequest, *, answer: str, actor: Actor, by: Membership
) -> SupportRequest:
    """Write (or rewrite) the answer; the requester is told in the app, with a link to it."""
    _require_support_admin(by)
    answer = _support_text(answer, field="answer", label=gettext_lazy("Answer"), maximum=SUPPORT_TEXT_MAX)
    if support_request.status == SupportStatus.CLOSED:
        raise Conflict(_("this request is closed"), field="status")
    with transaction.atomic():
        before = support_request.status
        support_request.answer = answer
        support_request.status = SupportStatus.ANSWERED
        support_request.answered_by_id = by.user_id
        support_request.answered_at = timezone.now()
        support_request.save(update_fields=["answer", "status", "answered_by", "answered_at"])
        record(
            "support_request.answer",
            organisation=support_request.organisation,
            actor=actor,
            obj=support_request,
            changes={"status": [before, SupportStatus.ANSWERED]},
        )
        notify(
            organisation_id=support_request.organisation_id,
            user_id=support_request.requester_id,
            text=later(
                gettext_lazy("Your support request “%(subject)s” has an answer"),
                subject=support_request.subject,
            ),
            url=f"/help/requests/{support_request.pk}/",
        )
    return support_request


def close_support_request(support_request: SupportRequest, *, actor: Actor, by: Membership) -> SupportRequest:
    _require_support_admin(by)
    if support_request.status == SupportStatus.CLOSED:
        return support_request
    with transaction.atomic():
        before = support_request.status
        support_request.status = SupportStatus.CLOSED
        support_request.closed_at = timezone.now()
        support_request.save(update_fields=["status", "closed_at"])
        record(
            "support_request.close",
            organisation=support_request.organisation,
            actor=actor,
            obj=support_request,
            changes={"status": [before, SupportStatus.CLOSED]},
        )
    return support_request
