"""The profile page's "Notifications on this phone" section: turning Web Push on and off for
this browser (push.js subscribes and sends the subscription here) and choosing the kinds."""

import json

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import PushKind, PushSubscription
from leadtracker.accounts.push import actions, keys
from leadtracker.lib.errors import ActionError

MANAGER_ONLY = {PushKind.DIGEST}


def _kinds(member) -> list[PushKind]:
    return [k for k in PushKind if k not in MANAGER_ONLY or member.has_role("manager")]


def _context(request, saved=False) -> dict:
    member = request.membership
    pref = actions.preference(member)
    return {
        "kinds": [(k.value, k.label, k.value not in pref.kinds_off) for k in _kinds(member)],
        "off_shift": pref.off_shift,
        "public_key": keys.public_key(),
        "browsers": PushSubscription.objects.filter(
            organisation_id=member.organisation_id, user_id=member.user_id
        ).count(),
        "saved": saved,
        "texts": _browser_texts(),
    }


def _browser_texts() -> dict:
    """What push.js says, in the reader's language (it has the English as well, for a page
    without them)."""
    return {
        "turn_on": _("Turn on in this browser"),
        "turn_off": _("Turn off in this browser"),
        "on": _("On in this browser."),
        "off": _("Off in this browser."),
        "working": _("Working…"),
        "failed": _("That did not work: %(reason)s"),
        "refused": _("the server said no (%(status)s)"),
        "blocked": _(
            "Notifications are blocked for this site. Allow them in the browser's site settings, "
            "then try again."
        ),
        "no_service": _(
            "Notifications could not be turned on: this browser has no push service it can reach here (a "
            "private window has none) — %(reason)s. Try again on the network, in a normal window of Chrome, "
            "Firefox, Edge or Safari."
        ),
        "insecure": _(
            "This page is not on a secure (https) address, so this browser cannot receive "
            "notifications from it."
        ),
        "no_worker": _("This browser cannot receive notifications (no service workers)."),
        "no_push": _("This browser cannot receive notifications (no Web Push)."),
    }


@member_required()
def push_settings(request):
    saved = False
    if request.method == "POST":
        kinds_on = [
            k for k in request.POST.getlist("kinds") if k in {x.value for x in _kinds(request.membership)}
        ]
        hidden = [k.value for k in PushKind if k not in _kinds(request.membership)]
        pref = actions.preference(request.membership)
        # A kind this person is not offered keeps what it was (an agent promoted later keeps none).
        kinds_on += [k for k in hidden if k not in pref.kinds_off]
        actions.save_preference(
            request.membership,
            kinds_on=kinds_on,
            off_shift=request.POST.get("off_shift") == "on",
            actor=Actor.from_request(request),
        )
        if not request.headers.get("HX-Request"):
            return redirect("push_settings")
        saved = True
    template = (
        "accounts/push/_form.html" if request.headers.get("HX-Request") else "accounts/push/settings.html"
    )
    return render(request, template, _context(request, saved))


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ActionError(_("body: a subscription as JSON"), field="body")
    return body


@require_POST
@member_required()
def push_subscribe(request):
    try:
        body = _body(request)
        sub = actions.subscribe(
            request.membership,
            endpoint=body.get("endpoint"),
            keys=body.get("keys"),
            user_agent=request.headers.get("User-Agent", ""),
            actor=Actor.from_request(request),
        )
    except ActionError as exc:
        return JsonResponse({"detail": exc.message}, status=400)
    return JsonResponse({"id": sub.pk, "on": True}, status=201)


@require_POST
@member_required()
def push_unsubscribe(request):
    try:
        endpoint = _body(request).get("endpoint")
    except ActionError as exc:
        return JsonResponse({"detail": exc.message}, status=400)
    removed = actions.unsubscribe(
        request.membership, endpoint=str(endpoint or ""), actor=Actor.from_request(request)
    )
    return JsonResponse({"removed": removed, "on": False})
