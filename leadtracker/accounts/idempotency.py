"""Writes that may arrive twice: the ``Idempotency-Key`` promise.

A write (POST, PUT, PATCH, DELETE) sent with an ``Idempotency-Key`` header is done once per
person and key; a resend of the same key gets the first answer again (status, body, redirect),
marked ``Idempotent-Replayed: true``. It is the promise the device agent's call ids keep for
calls, made for the web app's offline queue (static/js/sw.js) and for any API client.

- The key is claimed by inserting its row before the view runs: the unique constraint (user,
  key) lets one of two concurrent requests through, and the other is told the first is still
  being handled (409) instead of doing the write a second time.
- An answer is kept only if the view ran and did not fail on the server's side: a refused CSRF
  check or a 5xx frees the key, so the same write can be sent again.
- A key used again for another method or path is a client's mistake, answered 422.
- Keys are kept for ``KEEP`` and purged by a periodic job (accounts/tasks.py).

The web app's forms answer a refusal with a redirect and an error message for the next page.
A queued write replayed from the phone (``X-Replay: queued``) has no next page to show it on,
so its refusal is answered as ``409 {"detail": reason}`` and shown in the phone's list of
changes not sent; the answer to a replay says ``X-Replay: done`` or ``refused`` (_for_replay).

A write made offline carries the time it was made (``X-Made-At``) and is recorded at that time,
not when the network came back: the note, the follow-up planned or done, the new lead, the
outcome and the status it moves are at the made time on the lead's timeline (made_now, read by
the actions while this middleware handles a keyed write). The time is believed within bounds:
a few minutes ahead of the server is a phone's clock and counts as now; further ahead, or older
than the keys are kept (KEEP: a resend after that could no longer be told from a new write),
the write is recorded when it arrived, with a note saying why (made_marks).
"""

import contextvars
import dataclasses
import datetime as dt
import re

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from leadtracker.accounts.auth import authenticate_token
from leadtracker.accounts.language import activate_for
from leadtracker.accounts.models import IdempotentRequest
from leadtracker.lib.views import is_api

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
REPLAY_HEADER = "X-Replay"
MADE_AT_HEADER = "X-Made-At"
KEEP = dt.timedelta(hours=24)
# A phone's clock this far ahead of the server's is a clock, not a write from the future.
CLOCK_SKEW = dt.timedelta(minutes=5)
# A write that arrived this much later than it was made was made offline: its timeline entry
# says so (a form sent online arrives a second after it was made).
LATE = dt.timedelta(minutes=1)
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{8,100}")
# Bodies above this are not kept (an export's zip): the resend gets the status alone.
MAX_BODY = 256 * 1024
PENDING = 0


def _error(status: int, field: str, message: str) -> JsonResponse:
    return JsonResponse({"detail": message, "errors": [{"field": field, "message": message}]}, status=status)


def _user_of(request):
    """Whose key it is: the session's person, or the bearer token's (the API authenticates
    inside the view, after this middleware has had to decide)."""
    if request.user.is_authenticated:
        return request.user, request.org
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        found = authenticate_token(auth[7:].strip())
        if found is not None:
            return found[1].user, found[1].organisation
    return None, None


def claim(user, org, key: str, method: str, path: str) -> tuple[IdempotentRequest, bool]:
    """The key's row and True if this request claimed it; False if it was there already."""
    try:
        with transaction.atomic():
            return (
                IdempotentRequest.objects.create(
                    user=user, organisation=org, key=key, method=method, path=path
                ),
                True,
            )
    except IntegrityError:
        return IdempotentRequest.objects.get(user=user, key=key), False


def release(row: IdempotentRequest) -> None:
    IdempotentRequest.objects.filter(pk=row.pk, status=PENDING).delete()


def keep(row: IdempotentRequest, response) -> None:
    body = b"" if response.streaming else response.content
    row.status = response.status_code
    row.content_type = response.get("Content-Type", "")[:100]
    row.location = response.get("Location", "")[:300]
    row.body = body if len(body) <= MAX_BODY else b""
    row.save(update_fields=["status", "content_type", "location", "body"])


def answer_of(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type or None)
    if row.location:
        response["Location"] = row.location
    response[REPLAYED] = "true"
    return response


def purge_expired(now=None) -> int:
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted


def made_at(request) -> dt.datetime | None:
    """When a queued write was really made (``X-Made-At``, RFC 3339), for the actions that take
    a time (punch in and out); None when absent or unreadable, and the action uses now."""
    value = request.headers.get(MADE_AT_HEADER, "")
    try:
        moment = parse_datetime(value) if value else None
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


@dataclasses.dataclass(frozen=True)
class Made:
    """When the write being handled was made (``at``), when it arrived, and why ``at`` is not
    the time the phone said (``note``), if it is not."""

    at: dt.datetime
    arrived: dt.datetime
    note: str = ""


_made: contextvars.ContextVar[Made | None] = contextvars.ContextVar("made", default=None)


def bounded_made_at(request, now: dt.datetime | None = None) -> Made | None:
    """The request's X-Made-At within bounds (see the module's text); None without one."""
    given = made_at(request)
    if given is None:
        return None
    now = now or timezone.now()
    if given > now + CLOCK_SKEW:
        return Made(now, now, "its time was in the future (a clock set wrong): recorded when it arrived")
    if given < now - KEEP:
        return Made(now, now, "made more than 24 hours before it arrived: recorded when it arrived")
    return Made(min(given, now), now)


def made_now() -> dt.datetime:
    """The time to record a write at: when it was made, for a keyed write that says so (made
    offline and sent later), else now."""
    made = _made.get()
    return made.at if made is not None else timezone.now()


def made_marks() -> dict:
    """What a timeline entry keeps of its write having been made offline: when it arrived,
    or the note saying why it is shown at its arrival. Nothing for a write sent at once."""
    made = _made.get()
    if made is None:
        return {}
    if made.note:
        return {"made_note": made.note}
    if made.arrived - made.at < LATE:
        return {}
    return {"arrived_at": made.arrived.isoformat()}


def _replayed(request) -> bool:
    return request.headers.get(REPLAY_HEADER) == "queued" and not is_api(request)


def _refusal(request, response):
    """For a replayed web form: the error the view left for the next page, as a 409 instead,
    or a form shown again (its errors) as a 422. None when the write went through."""
    if not _replayed(request):
        return None
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    # Said in the phone's list of changes instead: not left to pop up on some later page.
    if queued:
        storage._queued_messages = []
    errors = [m for m in queued if m.level >= messages.ERROR]
    if errors:
        return JsonResponse({"detail": "; ".join(str(m.message) for m in errors)}, status=409)
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        if not request.headers.get("HX-Request"):
            return JsonResponse(
                {"detail": _("the form was not accepted: open it and send it again")}, status=422
            )
    return None


def _for_replay(request, response):
    """A replayed form's kept answer as the worker reads it. The worker sends without following
    redirects, and a redirect it is given is opaque to it: it could not tell "done, go to the
    lead" from "sign in first" or "accept the new notice first" (answered before any view, and
    meaning the write was not done), nor a view's 403 from a CSRF check failed for want of a
    session. So the answer says which it is: ``X-Replay: done`` (a redirect becoming 200
    ``{location}``) or ``X-Replay: refused``; an answer without it leaves the write waiting."""
    if not _replayed(request):
        return response
    if 300 <= response.status_code < 400:
        response = JsonResponse({"location": response.get("Location", "")})
    response[REPLAY_HEADER] = "done" if response.status_code < 400 else "refused"
    return response


class IdempotencyMiddleware:
    """After authentication and CSRF in MIDDLEWARE: the key belongs to the signed-in person,
    and only a request the CSRF check let through reaches a view (see process_view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITES:
            return self.get_response(request)
        if not KEY_PATTERN.fullmatch(key):
            return _error(400, HEADER, _("8 to 100 letters, digits, '-', '_', ':' or '.'"))
        user, org = _user_of(request)
        if user is None:
            # Nobody to keep it for: the view answers as it would (login page, 401).
            return self.get_response(request)
        # A token's person answers in their language here too (LanguageMiddleware knew no one).
        activate_for(user, org)
        row, claimed = claim(user, org, key, request.method, request.path[:300])
        if not claimed:
            return self._resent(request, row)
        request.idempotent_view_ran = False
        made = _made.set(bounded_made_at(request))
        try:
            response = self.get_response(request)
        except BaseException:
            release(row)
            raise
        finally:
            _made.reset(made)
        if response.status_code >= 500 or not request.idempotent_view_ran:
            release(row)
            return response
        response = _refusal(request, response) or response
        keep(row, response)
        return _for_replay(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Reached only when the middleware before (CSRF among them) let the request through.
        request.idempotent_view_ran = True

    def _resent(self, request, row):
        if row.method != request.method or row.path != request.path[:300]:
            used = {"method": row.method, "path": row.path}
            message = _("this key was used for %(method)s %(path)s") % used
            return _error(422, HEADER, message)
        if row.status == PENDING:
            response = _error(
                409, HEADER, _("a request with this key is still being handled; send it again later")
            )
            response["Retry-After"] = "2"
            return response
        return _for_replay(request, answer_of(row))
