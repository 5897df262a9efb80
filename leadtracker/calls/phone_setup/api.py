"""/api/v1/devices/me/calls: a phone finds the server's call for a call-log row it synced, to
prompt "how did it go?" with the lead's name and record the answer on that very call
(POST /api/v1/calls/{id}/outcome). The sync's answer counts calls and names none."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from leadtracker.calls import selectors
from leadtracker.calls.api import DEVICE_AUTH
from leadtracker.lib.errors import ActionError

router = Router(tags=["devices"])


class DeviceCallOut(Schema):
    id: int
    device_call_id: str
    lead_id: int | None
    lead_name: str
    type: str
    status: str
    duration_s: int
    outcome_id: int | None
    sheet_path: str


def sheet_path(call_id: int) -> str:
    try:
        return reverse("call_outcome_sheet", kwargs={"call_id": call_id})
    except NoReverseMatch:
        # Before the outcome sheet's page exists, the calls list is where an outcome is recorded.
        return reverse("calls")


@router.get(
    "/devices/me/calls",
    auth=DEVICE_AUTH,
    response=DeviceCallOut,
    summary="This phone's synced call by its call-log id (for the prompt after a call)",
)
def device_call(request, device_call_id: str):
    call = (
        selectors.calls_for(request.membership)
        .select_related("lead")
        .filter(device_id=request.device.pk, device_call_id=device_call_id[:64])
        .first()
    )
    if call is None:
        raise ActionError(
            _("no call of this phone has that id (not synced, or outside a shift)"), status_code=404
        )
    return DeviceCallOut(
        id=call.pk,
        device_call_id=call.device_call_id,
        lead_id=call.lead_id,
        lead_name=str(call.lead) if call.lead_id else "",
        type=call.type,
        status=call.status,
        duration_s=call.duration_s,
        outcome_id=call.outcome_id,
        sheet_path=sheet_path(call.pk),
    )
