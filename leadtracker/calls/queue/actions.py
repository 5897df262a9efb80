"""Writes of the calling queue: skipping a lead for now, and the admins' talk scripts."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership
from leadtracker.calls.models import TalkScript
from leadtracker.calls.queue.selectors import SKIPS_KEY, skips_of
from leadtracker.leads.models import LeadSource, LeadStatus
from leadtracker.lib.errors import ActionError

# Why a lead is skipped. Busy or a wrong time: it goes to the end of today's queue and comes
# back once the others are done. Already handled (by a colleague, on another channel): it is
# set aside for today, and comes back tomorrow if its follow-up or call-back is still open.
SKIP_REASONS = {
    "busy": _("I'm busy right now"),
    "wrong_time": _("Wrong time to call them"),
    "handled": _("Already handled"),
}
TALK_SCRIPT_MAX = 4000


def skip_lead(session, lead, *, reason: str, today: dt.date, actor: Actor, by: Membership) -> None:
    """Take ``lead`` off the top of ``by``'s queue for ``reason`` (SKIP_REASONS). The view loads
    the lead through visibility; the queue holds only the person's own leads."""
    if reason not in SKIP_REASONS:
        raise ActionError(
            _("must be one of %(reasons)s") % {"reasons": ", ".join(SKIP_REASONS)}, field="reason"
        )
    if lead.owner_id != by.user_id:
        raise ActionError(_("only your own leads are in your queue"), field="lead_id", status_code=403)
    skips = skips_of(session, today)
    for kept in skips.values():
        if lead.pk in kept:
            kept.remove(lead.pk)
    skips["dropped" if reason == "handled" else "skipped"].append(lead.pk)
    session[SKIPS_KEY] = {"day": today.isoformat(), **skips}
    record("queue.skip", organisation=by.organisation, actor=actor, obj=lead, changes={"reason": reason})


@transaction.atomic
def save_talk_script(
    org, *, status: LeadStatus | None = None, source: LeadSource | None = None, text: str, actor: Actor
) -> TalkScript | None:
    """The script for leads of ``status`` or of ``source`` (one of them). Empty text removes
    it. Admins only: the view is behind the admin role."""
    if (status is None) == (source is None):
        raise ActionError(_("give a status or a source"), field="status")
    target = status or source
    if target.organisation_id != org.pk:
        raise ActionError(
            _("no such status or source"), field="status" if status else "source", status_code=404
        )
    text = (text or "").strip()
    if len(text) > TALK_SCRIPT_MAX:
        raise ActionError(_("at most %(n)s characters") % {"n": f"{TALK_SCRIPT_MAX:,}"}, field="text")
    key = {"organisation_id": org.pk, "status": status, "source": source}
    existing = TalkScript.objects.select_for_update().filter(**key).first()
    if not text:
        if existing is not None:
            pk = existing.pk
            existing.delete()
            record("talk_script.delete", organisation=org, actor=actor, obj=existing, object_id=str(pk))
        return None
    if existing is not None and existing.text == text:
        return existing
    script = existing or TalkScript(**key)
    script.text = text
    script.updated_at = timezone.now()
    script.save()
    record(
        "talk_script.update" if existing else "talk_script.create",
        organisation=org,
        actor=actor,
        obj=script,
        changes={"status": status.pk if status else None, "source": source.pk if source else None},
    )
    return script
