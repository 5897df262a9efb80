"""Click-to-call: an ordinary form POST from the lead page, the calling queue and the outcome
sheet (it works without JavaScript), checked on the server: the person must be able to open
the lead, whatever the page showed them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.integrations.telephony import actions, selectors
from leadtracker.leads import selectors as lead_selectors
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import safe_back

NO_LINE = gettext_lazy("no telephony line is set up (an admin adds one in Settings → Integrations)")


@require_POST
@member_required()
def click_to_call(request, lead_id: int):
    lead = lead_selectors.get_lead(request.membership, lead_id)  # another's lead: 404
    back = safe_back(request, reverse("lead_detail", args=[lead.pk]))
    connector = selectors.line_of_org(request.org.pk)
    if connector is None:
        messages.error(request, _("Not called: %(why)s.") % {"why": NO_LINE})
        return redirect(back)
    try:
        actions.click_to_call(connector, request.membership, lead, actor=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, _("Not called: %(why)s.") % {"why": exc.message})
    else:
        ringing = _(
            "%(name)s is ringing your phone: pick up, and it calls %(lead)s from the company's number."
        )
        messages.success(request, ringing % {"name": connector.name, "lead": lead})
    return redirect(back)
