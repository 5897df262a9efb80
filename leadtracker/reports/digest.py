"""The daily digest: each manager's (admin's, owner's) people yesterday, e-mailed once a day
when the organisation's clock passes its digest hour (Organisation.digest_hour, which new
organisations take from the DIGEST_HOUR setting; empty switches the digest off).

Once per person per day, however many workers run and however often they restart: the day a
digest went out is kept in a PeriodicJobRun row per recipient ("reports.digest.m<id>"), leased
while it is sent (see send_one). A send that fails leaves no mark, so the next run tries again.
"""

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from leadtracker.accounts.language import language_of
from leadtracker.accounts.models import Membership, Organisation, PeriodicJobRun, Role
from leadtracker.accounts.notifications import notify
from leadtracker.calls.selectors import call_backs_for
from leadtracker.leads.selectors import filter_leads, leads_for
from leadtracker.lib import leases
from leadtracker.reports import selectors
from leadtracker.reports.views import with_flag_labels

logger = logging.getLogger(__name__)

TOP_AGENTS = 5
NEVER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass
class Digest:
    subject: str
    text: str
    html: str


def run_name(member: Membership) -> str:
    return f"reports.digest.m{member.pk}"


def recipients(org: Organisation) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organisation=org,
            is_active=True,
            role__in=[Role.MANAGER, Role.ADMIN, Role.OWNER],
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "organisation")
        .order_by("pk")
    )


def figures(member: Membership, day: dt.date) -> dict | None:
    """What the digest says; None when the recipient sees nobody but themself."""
    org = member.organisation
    user_ids = selectors.scope_user_ids(member)
    if user_ids is not None and len(user_ids) <= 1:
        return None
    rng = selectors.Range(day, day)
    agents = selectors.per_agent(org, rng, user_ids)
    top = sorted(agents, key=lambda a: (-a["calls"], -a["talk_seconds"], a["name"]))[:TOP_AGENTS]
    flagged = [a for a in with_flag_labels(agents) if a["flags"]]
    return {
        "member": member,
        "org": org,
        "day": day,
        "summary": selectors.summary(org, rng, user_ids),
        "missed_waiting": call_backs_for(member).filter(closed_at__isnull=True).count(),
        "overdue_follow_ups": filter_leads(leads_for(member), member, follow_up="overdue").count(),
        "top": top,
        "flagged": flagged,
        "dashboard_url": settings.SITE_URL + "/dashboard/?range=yesterday",
        "whole_organisation": user_ids is None,
    }


def build(member: Membership, day: dt.date) -> Digest | None:
    """The digest in its recipient's language: the worker that sends it runs outside any
    request, in whatever language was active there."""
    org = member.organisation
    with translation.override(language_of(member.user, org)):
        context = figures(member, day)  # its flags' labels too
        if context is None:
            return None
        subject = gettext("%(organisation)s: calls on %(day)s") % {
            "organisation": org.name,
            "day": f"{day:%a %-d %b}",
        }
        return Digest(
            subject=subject,
            text=render_to_string("reports/email/digest.txt", context),
            html=render_to_string("reports/email/digest.html", context),
        )


def send_one(member: Membership, local_today: dt.date, now: dt.datetime) -> bool:
    """Send yesterday's digest to one person unless it went out today already.

    The person's run row is leased (lib/leases.py) while the digest is built and sent, outside
    any transaction, so no lock is held while the mail server answers. A send that fails frees
    the row unmarked, and one whose worker dies leaves a lease that lapses: either way the next
    pass sends it. The mark and the release are one UPDATE after the send, so a worker killed
    between the two means a second copy, never none."""
    name = run_name(member)
    PeriodicJobRun.objects.get_or_create(name=name, defaults={"last_run_at": NEVER})
    row = PeriodicJobRun.objects.filter(name=name)
    local_midnight = dt.datetime.combine(local_today, dt.time(), tzinfo=member.organisation.tzinfo)
    if not leases.take(row.filter(last_run_at__lt=local_midnight)):
        return False  # sent today already, or being sent by a live worker
    try:
        digest = build(member, local_today - dt.timedelta(days=1))
        if digest is not None:
            message = EmailMultiAlternatives(
                digest.subject, digest.text, settings.DEFAULT_FROM_EMAIL, [member.user.email]
            )
            message.attach_alternative(digest.html, "text/html")
            message.send()
    except BaseException:
        with contextlib.suppress(leases.LeaseLost):
            leases.release(row)
        raise
    try:
        leases.release(row, last_run_at=now)
    except leases.LeaseLost:
        logger.warning("digest for member %s: another worker took it over meanwhile", member.pk)
    if digest is not None:  # after the mark: a failure here must not send the e-mail twice
        with translation.override(language_of(member.user, member.organisation)):
            text = gettext("%(subject)s: the daily digest is in your e-mail") % {"subject": digest.subject}
        notify(
            organisation_id=member.organisation_id,
            user_id=member.user_id,
            text=text,
            url=reverse("dashboard"),
            kind="digest",
        )
    return digest is not None


def send_due(now=None) -> int:
    """Digests for every organisation whose local time is past its digest hour; returns how
    many went out. A worker that was down at that hour sends later the same day, never twice;
    an hour moved later in a day whose digest went out already does not send a second one."""
    now = now or timezone.now()
    sent = 0
    for org in Organisation.objects.filter(digest_hour__isnull=False).order_by("pk"):
        local = now.astimezone(org.tzinfo)
        if local.hour < org.digest_hour:
            continue
        for member in recipients(org):
            sent += send_one(member, local.date(), now)
    return sent
