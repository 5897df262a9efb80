"""The one inbound URL: /integrations/hook/<url_token>, no login, no CSRF (a provider's
server calls it), throttled per connector, handed to the connector's provider."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from leadtracker.accounts.throttle import _WindowThrottle
from leadtracker.integrations import registry
from leadtracker.integrations.models import Connector


class ConnectorThrottle(_WindowThrottle):
    """Deliveries per connector, from however many addresses: a provider's servers are many,
    and a flood through one leaked URL must not fill the database."""

    setting_name = "INTEGRATION_RATE_PER_CONNECTOR"
    scope = "hook"

    def ident_for(self, request):
        match = getattr(request, "resolver_match", None)
        token = match.kwargs.get("url_token") if match is not None else None
        return f"c{token}" if token else None


@csrf_exempt
def hook(request, url_token: str):
    # The token is unique: no ORDER BY (first() would sort by the model's name, pk).
    found = Connector.objects.select_related("organisation").filter(url_token=url_token, is_active=True)
    connector = next(iter(found.order_by()[:1]), None) if url_token else None
    provider = registry.get(connector.kind) if connector is not None else None
    if provider is None:
        return HttpResponse("unknown hook", status=404, content_type="text/plain")
    throttle = ConnectorThrottle()
    if not throttle.allow_request(request):
        response = HttpResponse("too many requests", status=429, content_type="text/plain")
        response["Retry-After"] = str(int(throttle.wait()))
        return response
    return provider.handle(request, connector)
