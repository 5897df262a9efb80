"""Follow-up reminders: an e-mail and an in-app notification, a set time before it is due."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leadtracker.accounts.language import language_of
from leadtracker.accounts.models import Membership
from leadtracker.accounts.notifications import notify
from leadtracker.leads.models import FollowUp
from leadtracker.leads.selectors import leads_for
from leadtracker.lib import formats

# A reminder more than this late is pointless (the worker was down): mark it, do not send.
STALE_AFTER = dt.timedelta(hours=2)


def _may_open(fu: FollowUp) -> bool:
    member = Membership.objects.filter(
        organisation_id=fu.organisation_id, user_id=fu.assignee_id, is_active=True
    ).first()
    return member is not None and leads_for(member).filter(pk=fu.lead_id).exists()


def send_due_reminders(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    due = (
        FollowUp.objects.open()
        .filter(reminder_sent_at__isnull=True, remind_at__lte=now)
        .select_related("lead", "assignee", "organisation")
        .order_by("remind_at")[:500]
    )
    for fu in due:
        with transaction.atomic():
            # Still open and unsent: cancelled or done since the list was read means no reminder.
            claimed = (
                FollowUp.objects.open()
                .filter(pk=fu.pk, reminder_sent_at__isnull=True)
                .update(reminder_sent_at=now)
            )
            if not claimed or fu.assignee is None or now - fu.due_at > STALE_AFTER:
                continue
            if not _may_open(fu):
                # The assignee left or can no longer open the lead: a reminder would show them
                # the lead's name. (Reassigning a lead moves its follow-ups; this catches the rest.)
                continue
            url = f"/leads/{fu.lead_id}/"
            # Written now, in the assignee's language, at the organisation's time of day.
            with (
                translation.override(language_of(fu.assignee, fu.organisation)),
                timezone.override(fu.organisation.tzinfo),
            ):
                # The day by its date, never "today": the text is kept (the bell, the API) and
                # read later, when "today" would be another day; the bell shows beside it when
                # it came.
                text = _("%(kind)s with %(lead)s, due %(when)s") % {
                    "kind": fu.get_kind_display(),
                    "lead": fu.lead,
                    "when": f"{formats.day(fu.due_at)}, {formats.clock(fu.due_at)}",
                }
                subject = _("Reminder: %s") % text
                body = _("Reminder: %(text)s.\n\n%(note)s\n\nOpen the lead: %(link)s\n") % {
                    "text": text,
                    "note": fu.note,
                    "link": f"{settings.SITE_URL}{url}",
                }
            notify(
                organisation_id=fu.organisation_id,
                user_id=fu.assignee_id,
                text=text,
                url=url,
                kind="follow_up",
                lead_id=fu.lead_id,
            )
            transaction.on_commit(
                lambda b=body, t=subject, to=fu.assignee.email: send_mail(
                    t, b, None, [to], fail_silently=True
                )
            )
            sent += 1
    return sent
