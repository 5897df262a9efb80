from django.utils import timezone

from leadtracker.accounts.models import Membership

SESSION_ORG_KEY = "org_id"


def active_membership(user, org_id=None):
    qs = Membership.objects.select_related("organisation", "user").filter(user=user, is_active=True)
    if org_id is not None:
        found = qs.filter(organisation_id=org_id).first()
        if found is not None:
            return found
    return qs.order_by("created_at", "id").first()


class CurrentOrganisationMiddleware:
    """Puts the signed-in person's current organisation and membership on the request.

    Looked up on every request, so a deactivated membership stops working at once —
    no cached permission survives it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.org = None
        request.api_token = None
        if request.user.is_authenticated:
            membership = active_membership(request.user, request.session.get(SESSION_ORG_KEY))
            if membership is not None:
                request.membership = membership
                request.org = membership.organisation
                if request.session.get(SESSION_ORG_KEY) != membership.organisation_id:
                    request.session[SESSION_ORG_KEY] = membership.organisation_id
        if request.org is not None:
            # Pages show times in the organisation's zone, whatever the server's is.
            timezone.activate(request.org.tzinfo)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
