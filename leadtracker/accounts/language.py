"""The language a page, an e-mail or an API answer is written in.

A signed-in person's own choice, else their organisation's default, else (a visitor who is not
signed in) the browser's ``Accept-Language`` as Django's LocaleMiddleware reads it. Dates,
numbers and money stay Indian in either language: lib/formats.py writes them with Babel's en_IN
whatever language is active.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_of(user, org) -> str:
    """The language chosen for ``user`` in ``org`` (either may be None): their own, else the
    organisation's default, else the site's."""
    chosen = getattr(user, "language", "") or getattr(org, "language", "")
    return chosen or settings.LANGUAGE_CODE


def activate_for(user, org) -> str:
    """Makes ``user``'s language the current one (an API request, once its token is known)."""
    code = language_of(user, org)
    translation.activate(code)
    return code


class LanguageMiddleware:
    """Activates the request's language (after CurrentOrganisationMiddleware, which finds the
    organisation). A page that depends on the browser's language says so in ``Vary``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        if user is not None or request.org is not None:
            code = activate_for(user, request.org)
            from_browser = False
        else:
            code = translation.get_language_from_request(request)
            translation.activate(code)
            from_browser = True
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        if from_browser:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", code)
        return response
