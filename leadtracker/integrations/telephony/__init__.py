"""Cloud telephony (issue 19, items 6-9): the small interface every provider's line implements,
so a third provider (MyOperator, Knowlarity) is one module.

A provider sub-package (``integrations/exotel/``, ``integrations/twilio/``) gives its
``registry.Provider`` ``category="telephony"``, ``callback_url=True`` and
``extra={"line": <module>}`` where the module has:

- ``place_call(connector, *, agent_number, lead_number, status_callback, marker) -> str``:
  asks the provider to ring the agent's phone and then the lead, through the company's number,
  reporting to ``status_callback``; returns the provider's call id. ``marker`` names our agent
  and lead ("<user id>:<lead id>") so the report comes back to them. Raises TelephonyError
  in plain words when the provider refuses or cannot be reached.
- ``read_report(body: dict) -> Report | None``: one callback's body (recording fields already
  dropped by the core) as a Report; None for a report that says nothing about a call's end
  (a ringing event, say).

For a status callback that never comes (telephony/fallback.py, run by the provider's ``poll``):

- ``fetch_report(connector, call_id) -> dict | None | NO_CALL``: the placed call's end asked of
  the provider's API, in its callback's shape; None while it is not over; NO_CALL when it is
  over and made no call to store.
- ``external_id(body) -> str``: the payload's de-duplication key, the same as its ``handle``
  gives the callback, so a callback that comes after all is not a second payload.
- optionally ``MARKER_FIELD`` (where the body carries our marker; "CustomField" by default)
  and ``reported(connector, call_ids) -> set`` (the placed calls whose report was logged, when
  the call stored carries another id than the call placed: Twilio's lead leg).

Their ``handle`` checks the request (Twilio's signature; Exotel signs nothing, so its URL's
secret token is the check) before anything is stored, and ``process`` hands the Report to
``actions.record_report``, which stores the call through the calls app.

No recording, ever: place_call never asks for one (Exotel's ``Record=false``; Twilio's dial
``record="do-not-record"``), the core drops every field naming one before the payload is stored,
and read_report never looks for one.
"""

import dataclasses
import datetime as dt

from leadtracker.lib.errors import ActionError


class TelephonyError(ActionError):
    """The provider refused the call or could not be reached; the message says which."""

    status_code = 502


@dataclasses.dataclass(slots=True)
class Report:
    """One provider report about one call, in our words."""

    call_id: str  # the provider's id of the call (Exotel CallSid, Twilio CallSid)
    direction: str  # "in" or "out" (calls.models.Direction)
    answered: bool  # the lead and our person talked
    duration_s: int  # seconds they talked (0 when they did not)
    started_at: dt.datetime
    number: str  # the lead's side, as the provider wrote it
    agent_number: str = ""  # the phone of ours the line rang, as the provider wrote it
    marker: str = ""  # what place_call passed ("<user id>:<lead id>"), when it came back


# What a line's fetch_report answers for a placed call that is over and made no call of ours
# (Twilio: the agent never picked up, so the lead was never dialled): nothing to store, and
# nothing to ask again.
NO_CALL = object()


def marker_for(user_id: int, lead_id: int) -> str:
    return f"{user_id}:{lead_id}"


def read_marker(marker: str) -> tuple[int | None, int | None]:
    user, _, lead = (marker or "").partition(":")
    return (int(user) if user.isdigit() else None, int(lead) if lead.isdigit() else None)
