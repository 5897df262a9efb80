"""The devices page: pair a phone, see each device's sync health, revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.visibility import visible_memberships
from leadtracker.calls import actions, selectors
from leadtracker.lib.errors import ActionError


@member_required()
def devices(request):
    member = request.membership
    new_code = None
    if request.method == "POST":
        target = member
        if request.POST.get("member"):
            target = visible_memberships(member).filter(pk=request.POST.get("member")).first()
        try:
            if target is None:
                raise ActionError("no such member", field="member", status_code=404)
            code, raw = actions.create_pairing_code(target, actor=Actor.from_request(request), by=member)
            new_code = {"code": raw, "expires_at": code.expires_at, "for": target.user}
        except ActionError as exc:
            messages.error(request, exc.message)
    team = (
        list(visible_memberships(member).filter(is_active=True).select_related("user"))
        if member.has_role("manager")
        else []
    )
    return render(
        request, "calls/devices.html", {"rows": selectors.health(member), "new_code": new_code, "team": team}
    )


@require_POST
@member_required()
def revoke(request, device_id):
    device = selectors.get_device(request.membership, device_id)
    try:
        actions.revoke_device(device, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{device.name}” is revoked; it can no longer sync.")
    return redirect("devices")
