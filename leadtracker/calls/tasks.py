import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from leadtracker.accounts.language import language_of
from leadtracker.accounts.models import PushKind
from leadtracker.accounts.push import sender
from leadtracker.calls import batch_reads, callbacks
from leadtracker.calls.actions import purge_usage as purge
from leadtracker.calls.models import Call
from leadtracker.lib.periodic import periodic

# A call that ended longer ago than this is no longer fresh: no "how did it go?" for it.
PROMPT_FRESH = dt.timedelta(minutes=10)


@periodic(every=dt.timedelta(hours=6))
@task()
def purge_usage() -> int:
    """Usage counters older than USAGE_RETENTION_DAYS are deleted."""
    return purge()


@periodic(every=dt.timedelta(minutes=5))
@task()
def remind_waiting_call_backs() -> int:
    """Missed calls waiting over 30 minutes: a reminder to whoever is to return each."""
    return callbacks.remind_waiting()


def queue_call_prompt(organisation, user_id: int, moments, *, pushes: bool | None = None) -> None:
    """After calls are stored: the person's newest call, when it has just ended and they have a
    browser to push to, gets its "how did it go?" (two queries however many calls came; one
    when the caller read ``pushes``, whether they have one, already — the sync does)."""
    if not moments:
        return
    if pushes is None:
        pushes = batch_reads.has_push_subscription(organisation.pk, user_id)
    if not pushes:
        return
    newest = (
        Call.objects.filter(organisation=organisation, user_id=user_id, started_at=max(moments))
        .order_by("-pk")
        .first()
    )
    if (
        newest is None
        or newest.started_at + dt.timedelta(seconds=newest.duration_s) < timezone.now() - PROMPT_FRESH
    ):
        return
    transaction.on_commit(lambda: send_call_prompt.enqueue(newest.pk))


def _duration(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


@task()
def send_call_prompt(call_id: int) -> dict:
    """Web Push "Call with Asha Sharma ended · 2m 10s — how did it go?", opening the call's
    outcome sheet. Not retried: a late prompt is no prompt."""
    call = Call.objects.select_related("lead", "user", "organisation").filter(pk=call_id).first()
    if call is None:
        return {"skipped": "the call is gone"}
    who = str(call.lead) if call.lead is not None and call.lead.erased_at is None else call.number
    # In the person's language: the worker runs outside any request.
    with translation.override(language_of(call.user, call.organisation)):
        title = gettext("How did it go?")
        text = gettext("Call with %(who)s ended · %(duration)s — how did it go?") % {
            "who": who,
            "duration": _duration(call.duration_s),
        }
    body = {
        "title": title,
        "body": text,
        "url": reverse("call_outcome_sheet", kwargs={"call_id": call.pk}),
        "kind": PushKind.CALL_ENDED.value,
        "tag": f"call{call.pk}",
    }
    return sender.send_payload(call.organisation_id, call.user_id, PushKind.CALL_ENDED, call.lead_id, body)
