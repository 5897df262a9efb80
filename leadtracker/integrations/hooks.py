"""Small pieces every provider's ``handle`` uses: reading a JSON body, plain answers."""

from django.http import HttpResponse, JsonResponse

from leadtracker.lib import json_body


class BadBody(Exception):
    """The request's body is not what the provider sends (in plain words)."""


def json_of(request):
    try:
        return json_body.loads(request.body or b"")
    except json_body.BodyRefused as exc:
        raise BadBody(exc.message) from None


def text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def ok(**extra) -> JsonResponse:
    return JsonResponse({"received": True, **extra})


def refused(reason: str, status: int = 403) -> JsonResponse:
    return JsonResponse({"detail": reason}, status=status)


def raw_text(request, limit: int = 20_000) -> str:
    """The body as text, for the log of a body that could not be read as the provider's."""
    return request.body[:limit].decode("utf-8", "replace")
