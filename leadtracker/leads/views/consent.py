"""Web pages for consent: the public unsubscribe link, recording a lead's consent, a member's
own toggle, and the campaign export."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Organisation, Role
from leadtracker.accounts.throttle import AnonymousThrottle
from leadtracker.leads import consent, selectors
from leadtracker.leads.export import campaign_counts, export_response
from leadtracker.leads.models import Lead
from leadtracker.leads.views.leads import filtered_leads
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import safe_back


def _masked_email(email: str) -> str:
    """Enough for the reader to recognise their own address, not enough to learn someone's."""
    if "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}{'•' * 3}@{domain}"


# The signature is the proof: the link arrives in a message, opened by someone with no session
# here (and RFC 8058 one-click POSTs come from a mail provider's server with no cookie at all),
# so a CSRF token cannot exist. Forging a POST needs the signed token, which only the reader of
# the message has; the worst a forged POST could do is stop messages the reader wanted to stop.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request, unsubscribe_token):
    if not AnonymousThrottle().allow_request(request):
        return HttpResponse(
            _("Too many requests; try again in a minute."), status=429, content_type="text/plain"
        )
    ids = consent.read_unsubscribe_token(unsubscribe_token)
    org = Organisation.objects.filter(pk=ids[0]).first() if ids else None
    if org is None:
        raise Http404("no such link")
    if request.method == "POST":
        lead = consent.unsubscribe(org.pk, ids[1])
        return render(
            request, "leads/unsubscribe_done.html", {"organisation": org, "known": lead is not None}
        )
    lead = (
        Lead.objects.filter(organisation=org, pk=ids[1])
        .only("email", "erased_at", "marketing_consent")
        .first()
    )
    if lead is None or lead.erased_at is not None:
        # Deleted or erased: nothing about the person is left to show or to change.
        return render(request, "leads/unsubscribe_done.html", {"organisation": org, "known": False})
    return render(
        request,
        "leads/unsubscribe.html",
        {
            "organisation": org,
            "masked_email": _masked_email(lead.email),
            "already": not lead.marketing_consent,
        },
    )


def _refused(exc: ActionError) -> str:
    # The action's reason, in the person's language; not the input's name in the code ("note:").
    return _("Not saved: %(why)s.") % {"why": exc.message}


@require_POST
@member_required()
def lead_consent(request, lead_id):
    lead = selectors.get_lead(request.membership, lead_id)
    method = request.POST.get("method", "")
    try:
        event = consent.set_lead_consent(
            lead,
            given=request.POST.get("given") == "1",
            method=method,
            note=request.POST.get("note", ""),
            actor=Actor.from_request(request),
            by=request.membership,
        )
    except ActionError as exc:
        messages.error(request, _refused(exc))
    else:
        messages.success(request, _("Consent recorded.") if event else _("No change: that was already so."))
    return redirect(safe_back(request, reverse("lead_detail", args=[lead.pk])))


@member_required()
def my_consent(request):
    if request.method == "POST":
        try:
            event = consent.set_member_consent(
                request.membership,
                given=request.POST.get("given") == "1",
                actor=Actor.from_request(request),
                by=request.membership,
            )
        except ActionError as exc:
            messages.error(request, _refused(exc))
        else:
            messages.success(request, _("Saved.") if event else _("No change."))
    return redirect(safe_back(request, reverse("profile")))


@member_required(Role.MANAGER)
def campaign_export(request):
    """The filtered list for a campaign: without ?format, a page saying how many leads are left
    out and why, with the download buttons; with ?format=csv|xlsx, the file."""
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(request, filtered_leads(request), fmt, campaign=True)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "leads/campaign_export.html",
        {"counts": campaign_counts(filtered_leads(request)), "query": query.urlencode()},
    )
