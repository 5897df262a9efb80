"""The Graph API call the worker makes for each lead: ``GET {META_GRAPH_URL}/{leadgen_id}``
with the page token. Every failure comes back as a MappingError in words an admin can act on
(the payload is then replayable once the token is fixed)."""

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from leadtracker.integrations.registry import MappingError

FIELDS = "id,created_time,field_data,form_id,ad_id,campaign_name"
# Form names by (graph URL, form id): a form's name does not change under it, and one lookup
# per form and process keeps a burst of leads at one Graph call each.
_FORM_NAMES: dict[tuple[str, str], str] = {}


RATE_LIMITED = (4, 17, 32, 613)


def _error_of(response) -> dict:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _code(response):
    return _error_of(response).get("code")


def _graph_error(response) -> str:
    error = _error_of(response)
    message = error.get("message") or response.reason or _("no reason given")
    code = error.get("code")
    if code == 190:
        return _("the page token is expired or was revoked: paste a new one (Facebook said: %(message)s)") % {
            "message": message
        }
    if code in (10, 200) or response.status_code == 403:
        return _("the page token may not read leads (it needs leads_retrieval on this page): %(message)s") % {
            "message": message
        }
    if code in RATE_LIMITED:
        return _("Facebook's rate limit was reached (%(message)s)") % {"message": message}
    if response.status_code == 404 or code == 100:
        return _("Facebook does not know this lead (deleted, or another page's): %(message)s") % {
            "message": message
        }
    return _("Facebook answered %(status)s: %(message)s") % {
        "status": response.status_code,
        "message": message,
    }


def fetch_lead(connector, leadgen_id: str) -> dict:
    token = connector.setting("page_token")
    if not token:
        raise MappingError(_("no page token: paste the page access token in the connector's settings"))
    url = f"{settings.META_GRAPH_URL}/{requests.utils.quote(leadgen_id, safe='')}"
    try:
        response = requests.get(
            url,
            params={"fields": FIELDS, "access_token": token},
            timeout=settings.INTEGRATION_HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise MappingError(
            _("could not reach Facebook (%(error)s)") % {"error": type(exc).__name__}, retry=True
        ) from None
    if response.status_code != 200:
        # Facebook's own trouble or its rate limit passes by itself; a bad token does not.
        passing = response.status_code >= 500 or _code(response) in RATE_LIMITED
        raise MappingError(_graph_error(response), retry=passing)
    try:
        lead = response.json()
    except ValueError:
        raise MappingError(_("Facebook's answer was not JSON")) from None
    if not isinstance(lead, dict):
        raise MappingError(_("Facebook's answer was not a lead"))
    return lead


def form_name(connector, form_id: str) -> str:
    """The form's name as the advertiser gave it ("Diwali 2BHK form"); empty when Facebook
    will not say (the lead is still made, attributed to the form's id)."""
    key = (settings.META_GRAPH_URL, form_id)
    if not form_id:
        return ""
    if key not in _FORM_NAMES:
        try:
            response = requests.get(
                f"{settings.META_GRAPH_URL}/{requests.utils.quote(form_id, safe='')}",
                params={"fields": "name", "access_token": connector.setting("page_token")},
                timeout=settings.INTEGRATION_HTTP_TIMEOUT,
            )
            name = response.json().get("name") if response.status_code == 200 else None
        except (requests.RequestException, ValueError, AttributeError):
            return ""
        if not isinstance(name, str) or not name.strip():
            return ""
        _FORM_NAMES[key] = name.strip()[:120]
    return _FORM_NAMES[key]
