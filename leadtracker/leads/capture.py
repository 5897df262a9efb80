"""Web capture: a website's form posts straight to POST /api/v1/capture/{key}.

No login: the key names the source (and so the organisation). A hidden honeypot field
catches bots; requests are throttled per address; bad input gets a 4xx naming the field and
nothing is stored; a returning enquirer is folded into their existing lead.
"""

from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.throttle import CaptureKeyThrottle, with_defaults
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.models import Activity, ActivityKind, LeadSource
from leadtracker.lib import json_body
from leadtracker.lib.errors import ActionError
from leadtracker.lib.stored_text import english, stored

router = Router(tags=["capture"])

HONEYPOT = "website"
ACCEPTED = {
    "name",
    "full_name",
    "phone",
    "mobile",
    "email",
    "company",
    "city",
    "message",
    "notes",
    "marketing_consent",
    HONEYPOT,
}
# A ticked checkbox arrives as "on" (its default value) or whatever value the site gave it.
CONSENT_WORDS = {"on", "yes", "true", "1", "y"}
MAX_FIELD = 2000
# The visitor's page (a form posted without JavaScript) and answers are in their browser's language.
PAGE = "<!doctype html><meta charset=utf-8><title>{title}</title><p>{text}"


def _fields(request) -> dict:
    if request.content_type == "application/json":
        try:
            # The API's reader: bad JSON 400, too deeply nested 422 (a RecursionError was a 500).
            body = json_body.loads(request.body or b"{}")
        except json_body.BodyRefused as exc:
            raise ActionError(exc.message, field="body", status_code=exc.status) from None
        if not isinstance(body, dict):
            raise ActionError(_("send a JSON object"), field="body", status_code=400)
        return body
    return {k: request.POST.get(k) for k in request.POST}


def _answer(request, status: int, body: dict):
    wants_html = request.content_type != "application/json" and "text/html" in request.headers.get(
        "Accept", ""
    )
    if wants_html:
        if status < 300:
            html = PAGE.format(
                title=escape(_("Thank you")), text=escape(_("Thank you, we will call you soon."))
            )
        else:
            html = PAGE.format(title=escape(_("Not sent")), text=escape(body["detail"]))
        return HttpResponse(html, status=status)
    return JsonResponse(body, status=status)


def _refusal(fields: dict) -> dict | None:
    """Why the form's fields are refused (the body of a 422), or None."""
    # fields.<key>: the organisation's custom fields (an unknown key is refused when checked).
    unknown = sorted(
        set(fields) - ACCEPTED - {"csrfmiddlewaretoken"} - {k for k in fields if k.startswith("fields.")}
    )
    if unknown:
        error = {"field": unknown[0], "message": _("unknown field; it is not accepted")}
        return {"detail": _("%s: unknown field") % unknown[0], "errors": [error]}
    for name, value in fields.items():
        if name == "marketing_consent" and isinstance(value, bool):
            continue  # JSON senders may say true/false
        if value is not None and not isinstance(value, str):
            error = {"field": name, "message": _("must be text")}
            return {"detail": f"{name}: {error['message']}", "errors": [error]}
        if value and len(value) > MAX_FIELD:
            error = {"field": name, "message": _("at most %s characters") % MAX_FIELD}
            return {"detail": _("%s: too long") % name, "errors": [error]}
    return None


def _note(lead, source, fields: dict, message: str, outcome: str) -> None:
    """What the visitor wrote, on the lead's timeline."""
    if outcome != "created":
        sent = ", ".join(
            f"{k}: {v}" for k, v in fields.items() if v and k not in ("message", "notes", HONEYPOT)
        )
        # A note for the team: its sentence is kept as what to say, read in each reader's language
        # (lib/stored_text.py, the timeline's note_text); the body keeps its English.
        said = stored(
            gettext_noop("Enquired again through %(source)s (%(sent)s)."), source=source.name, sent=sent
        )
        body = english(said) + (f"\n{message}" if message else "")
        Activity.objects.create(
            organisation_id=lead.organisation_id,
            lead=lead,
            kind=ActivityKind.NOTE,
            body=body[:10_000],
            data={"capture": source.name, "said": said},
        )
    elif message:
        Activity.objects.create(
            organisation_id=lead.organisation_id,
            lead=lead,
            kind=ActivityKind.NOTE,
            body=message[:10_000],
            data={"capture": source.name},
        )


@router.post(
    "/capture/{key}",
    auth=None,
    throttle=with_defaults(CaptureKeyThrottle()),
    summary="Create (or update) a lead from a website form, JSON or form-encoded",
)
def capture(request, key: str):
    source = LeadSource.objects.select_related("organisation").filter(capture_key=key, is_active=True).first()
    if not key or source is None:
        return _answer(request, 404, {"detail": _("unknown capture key"), "errors": []})
    try:
        fields = _fields(request)
    except ActionError as exc:
        return _answer(request, exc.status_code, {"detail": exc.message, "errors": [exc.as_error()]})
    refused = _refusal(fields)
    if refused:
        return _answer(request, 422, refused)
    if (fields.get(HONEYPOT) or "").strip():
        # A bot filled the field people cannot see: answer as if all went well, keep nothing.
        return _answer(request, 202, {"received": True})
    org = source.organisation
    data = LeadData(
        name=(fields.get("name") or fields.get("full_name") or ""),
        phones=[v for v in (fields.get("phone"), fields.get("mobile")) if v],
        email=fields.get("email") or "",
        company=fields.get("company") or "",
        city=fields.get("city") or "",
        source=source,
        marketing_consent=str(fields.get("marketing_consent") or "").strip().lower() in CONSENT_WORDS
        or fields.get("marketing_consent") is True,
        consent_method="web_capture",
        custom_fields={
            k.removeprefix("fields."): v for k, v in fields.items() if k.startswith("fields.") and v
        },
    )
    message = (fields.get("message") or fields.get("notes") or "").strip()
    actor = Actor.from_request(request)
    try:
        # An anonymous form never changes a lead that exists: a returning enquirer gets a note
        # with what they sent, for a person to look at.
        lead, outcome = create_lead(org, data, actor=actor, by=None, on_duplicate="skip")
    except ActionError as exc:
        return _answer(
            request,
            422 if exc.status_code == 400 else exc.status_code,
            {"detail": f"{exc.field}: {exc.message}", "errors": [exc.as_error()]},
        )
    _note(lead, source, fields, message, outcome)
    # The answer never says whether the person was already known.
    return _answer(request, 201, {"received": True})
