"""The writes of cloud telephony: a click-to-call placed through the organisation's line, and
a provider's report stored as one call (through the calls app's own action)."""

from django.db import transaction
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role
from leadtracker.calls.line.actions import LineCall, store_line_call
from leadtracker.calls.models import CallStatus, CallType, Direction
from leadtracker.calls.sync import derive_status
from leadtracker.integrations import registry
from leadtracker.integrations.models import Connector
from leadtracker.integrations.selectors import hook_url
from leadtracker.integrations.telephony import Report, fallback, marker_for, read_marker
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.actions.settings import source_named
from leadtracker.leads.models import Lead, LeadPhone
from leadtracker.lib.errors import ActionError
from leadtracker.lib.phones import InvalidPhone, normalise, to_ascii_digits


def line_of(connector: Connector):
    provider = registry.get(connector.kind)
    line = provider.extra.get("line") if provider is not None and provider.category == "telephony" else None
    if line is None:
        raise ActionError(_("this connector is not a telephony line"), field="connector")
    return line


def click_to_call(connector: Connector, member: Membership, lead: Lead, *, actor: Actor) -> str:
    """Ring ``member``'s phone, then the lead's, through the company's number. The view has
    loaded ``lead`` through the person's visibility (another's lead is a 404 before this).
    Returns the provider's call id; the call itself is stored when the provider reports it."""
    org = member.organisation
    if connector.organisation_id != org.pk or not connector.is_active:
        raise ActionError(_("no such telephony line"), field="connector", status_code=404)
    if lead.do_not_call:
        raise ActionError(_("this lead asked not to be called"), field="lead")
    if not lead.phone:
        raise ActionError(_("this lead has no phone number to call"), field="lead")
    raw = (member.user.phone or "").strip()
    if not raw:
        raise ActionError(
            _(
                "your phone number is not set: add it under Profile → Your phone, "
                "so the line can ring you first"
            ),
            field="phone",
        )
    try:
        agent_number = normalise(raw, org.phone_region)
    except InvalidPhone:
        raise ActionError(
            _(
                "your phone number in your profile is not a valid number: "
                "correct it under Profile → Your phone"
            ),
            field="phone",
        ) from None
    call_id = line_of(connector).place_call(
        connector,
        agent_number=agent_number,
        lead_number=lead.phone,
        status_callback=hook_url(connector),
        marker=marker_for(member.user_id, lead.pk),
    )
    # Asked of the provider later if its report never comes.
    fallback.remember(connector, call_id, marker_for(member.user_id, lead.pk))
    # Ids only: never the numbers dialled.
    record(
        "telephony.click_to_call",
        organisation=org,
        actor=actor,
        obj=lead,
        changes={"connector": connector.pk, "kind": connector.kind},
    )
    return call_id


def _number(raw: str, region: str) -> tuple[str, bool]:
    try:
        return normalise(raw, region), True
    except InvalidPhone:
        digits = "".join(ch for ch in to_ascii_digits(raw or "") if ch.isdigit() or ch == "+")
        return digits[:32], False


def _member_with_phone(org, raw: str) -> int | None:
    """The person of the organisation whose profile phone is ``raw`` (the agent a flow rang)."""
    number, valid = _number(raw, org.phone_region)
    if not valid:
        return None
    for user_id, phone in (
        Membership.objects.filter(organisation=org, is_active=True)
        .exclude(user__phone="")
        .values_list("user_id", "user__phone")
    ):
        if _number(phone, org.phone_region)[0] == number:
            return user_id
    return None


def _active_member(org, user_id: int | None) -> int | None:
    if user_id is None:
        return None
    return (
        Membership.objects.filter(organisation=org, user_id=user_id, is_active=True)
        .values_list("user_id", flat=True)
        .first()
    )


def _lead_of(org, lead_id: int | None, number: str, valid: bool) -> Lead | None:
    if lead_id is not None:
        lead = Lead.objects.filter(organisation=org, pk=lead_id, erased_at__isnull=True).first()
        if lead is not None:
            return lead
    if not valid:
        return None
    found = LeadPhone.objects.filter(organisation=org, e164=number).select_related("lead").first()
    return found.lead if found is not None else None


def _new_lead(connector: Connector, number: str, *, actor: Actor) -> Lead | None:
    """A number that is no lead called the company's line: almost always a customer (the line
    is published in ads and on portals, and nobody's personal calls go through it), so it
    becomes a lead of the line's source, assigned by that source's rules."""
    org = connector.organisation
    source = connector.source or source_named(org, registry.get(connector.kind).label, actor=actor)
    lead, _ = create_lead(
        org, LeadData(phones=[number], source=source), actor=actor, by=None, on_duplicate="skip"
    )
    return lead


def _fallback_user(org) -> int | None:
    """Who holds a call nobody of ours was rung for and whose lead has no owner: the owner."""
    return (
        Membership.objects.filter(organisation=org, is_active=True, role=Role.OWNER)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )


@transaction.atomic
def record_report(connector: Connector, report: Report, *, actor: Actor | None = None):
    """One provider report as one call on the lead's timeline: a repeat finds the call it
    stored, a later report updates it. Returns the call's lead (or None)."""
    actor = actor or Actor.system()
    org = connector.organisation
    number, valid = _number(report.number, org.phone_region)
    marked_user, marked_lead = read_marker(report.marker)
    lead = _lead_of(org, marked_lead, number, valid)
    if lead is None and valid and report.direction == Direction.IN:
        lead = _new_lead(connector, number, actor=actor)
    user_id = (
        _active_member(org, marked_user)
        or (_member_with_phone(org, report.agent_number) if report.agent_number else None)
        or (lead.owner_id if lead is not None else None)
        or _fallback_user(org)
    )
    if user_id is None:
        raise registry.MappingError(_("nobody in the organisation to hold this call (no active owner)"))
    if report.direction == Direction.OUT:
        call_type = CallType.OUTGOING
    else:
        call_type = CallType.INCOMING if report.answered else CallType.MISSED
    status = derive_status(call_type, report.duration_s)
    if report.answered and status == CallStatus.NOT_CONNECTED:
        status = CallStatus.CONNECTED  # Exotel's 'answered' event: talking, length not known yet
    store_line_call(
        org,
        LineCall(
            call_id=f"{connector.kind}:{report.call_id}"[:64],
            user_id=user_id,
            number=number,
            valid=valid,
            type=call_type,
            status=status,
            direction=report.direction,
            started_at=report.started_at,
            duration_s=report.duration_s,
            lead_id=lead.pk if lead is not None else None,
            owner_id=lead.owner_id if lead is not None else None,
        ),
        actor=actor,
    )
    return lead
