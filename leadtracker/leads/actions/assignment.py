"""Who owns a lead: assigning by hand, in bulk, or by the organisation's assignment rules."""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role, User
from leadtracker.accounts.notifications import notify
from leadtracker.attendance.selectors import users_on_shift
from leadtracker.leads.actions.permissions import check_owner
from leadtracker.leads.models import Activity, ActivityKind, AssignmentRule, FollowUp, Lead, LeadSource
from leadtracker.leads.signals import lead_owner_changed
from leadtracker.leads.webhooks import emit
from leadtracker.lib.errors import ActionError


@transaction.atomic
def assign_lead(
    lead: Lead, owner_id: int | None, *, actor: Actor, by: Membership | None, reason: str = "manual"
) -> Lead:
    if by is not None:
        if by.role == Role.AGENT:
            raise ActionError(_("agents cannot reassign leads"), field="owner", status_code=403)
        check_owner(by, owner_id, lead.organisation_id)
    if lead.owner_id == owner_id:
        return lead
    old = lead.owner_id
    lead.owner_id = owner_id
    lead.updated_at = timezone.now()
    lead.save(update_fields=["owner", "updated_at"])
    # The lead's open follow-ups go with it: its new owner works them, and nobody keeps a task
    # on a lead they can no longer open.
    FollowUp.objects.filter(lead=lead).open().update(assignee_id=owner_id)
    lead_owner_changed.send(sender=Lead, lead=lead, old_owner_id=old, new_owner_id=owner_id)
    Activity.objects.create(
        organisation_id=lead.organisation_id,
        lead=lead,
        kind=ActivityKind.OWNER,
        actor=actor.user,
        data={"from": old, "to": owner_id, "reason": reason},
    )
    record(
        "lead.assign",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={"owner": [old, owner_id], "reason": reason},
    )
    emit(lead, "lead.assigned", {"owner_id": owner_id, "reason": reason})
    if owner_id is not None and owner_id != getattr(actor.user, "pk", None):
        # In the new owner's language: theirs, else the organisation's (read above, for record()).
        # One read of their choice; a lazy text would make notify() read the organisation too.
        chosen = User.objects.filter(pk=owner_id).values_list("language", flat=True).first()
        with translation.override(chosen or lead.organisation.language or settings.LANGUAGE_CODE):
            text = _("New lead for you: %(lead)s") % {"lead": lead}
        notify(
            organisation_id=lead.organisation_id,
            user_id=owner_id,
            text=text,
            url=f"/leads/{lead.pk}/",
            kind="assigned",
            lead_id=lead.pk,
        )
    return lead


# The organisation's active rules in their order: asked on every batch of an import (and most
# organisations have none), so written as SQL once, not an ORM query built every time (~3% of a
# 100,000-row import's CPU on SQLite, for a hundred empty answers).
_ACTIVE_RULES = (
    "SELECT id, source_id FROM leads_assignmentrule WHERE organisation_id = %s AND is_active"
    " ORDER BY position, id"
)


def owners_by_rules(org_id: int, source_ids: list[int | None]) -> list[tuple[int, int] | None]:
    """Round-robin for unowned leads, named by their source: the first active rule for the
    source (or for any source) gives each lead to its next agent on shift. For many leads (an
    import's batch) as if they arrived one by one: each rule is locked once, and its turn moves
    on by as many leads as it handed out, so leads arriving together get consecutive agents.
    (owner id, rule id) for each lead, or None where no rule or no agent takes it."""
    with connection.cursor() as cursor:
        cursor.execute(_ACTIVE_RULES, [org_id])
        active = cursor.fetchall()
    general, by_source = None, {}
    for pk, source_id in active:
        if source_id is None:
            general = general or pk
        else:
            by_source.setdefault(source_id, pk)
    chosen = [(by_source.get(source_id) if source_id else None) or general for source_id in source_ids]
    if not any(chosen):
        return [None] * len(source_ids)
    picks = []
    with transaction.atomic():
        rules = AssignmentRule.objects.select_for_update().filter(pk__in=set(chosen) - {None}).order_by("pk")
        turns = {rule.pk: rule.turn for rule in rules}
        agents_of = {rule.pk: _rule_agents(org_id, rule) for rule in rules}
        for rule_id in chosen:
            agents, on_shift = agents_of.get(rule_id, ([], set()))
            pick = None
            # Walk the rotation from the rule's turn to the first agent who may take the lead, so
            # turns stay in order and nobody is skipped who was available.
            for step in range(len(agents)):
                candidate = agents[(turns[rule_id] + step) % len(agents)]
                if candidate in on_shift:
                    pick = (candidate, rule_id)
                    turns[rule_id] += step + 1
                    break
            picks.append(pick)
        for rule in rules:
            if turns[rule.pk] != rule.turn:
                AssignmentRule.objects.filter(pk=rule.pk).update(turn=turns[rule.pk])
    return picks


def _rule_agents(org_id: int, rule: AssignmentRule) -> tuple[list[int], set[int]]:
    """The rule's active agents in rotation order, and those of them who may take a lead now."""
    agents = list(
        Membership.objects.filter(organisation_id=org_id, is_active=True, user__in=rule.agents.all())
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return agents, users_on_shift(org_id, agents) if rule.only_on_shift else set(agents)


# No savepoint of its own: called inside a create's transaction, it would be two statements
# around a read of the rules; alone, it is a transaction like any.
@transaction.atomic(savepoint=False)
def assign_by_rules(leads: list[Lead], *, actor: Actor) -> list[int | None]:
    """Give each of one organisation's unowned leads to the next agent of its rule (see
    owners_by_rules); the owner each lead got, or None."""
    if not leads:
        return []
    picks = owners_by_rules(leads[0].organisation_id, [lead.source_id for lead in leads])
    for lead, pick in zip(leads, picks, strict=True):
        if pick is not None:
            assign_lead(lead, pick[0], actor=actor, by=None, reason=f"rule:{pick[1]}")
    return [pick[0] if pick else None for pick in picks]


@transaction.atomic
def bulk_assign(leads, owner_id: int | None, *, actor: Actor, by: Membership) -> int:
    count = 0
    for lead in leads.select_for_update():
        if lead.owner_id != owner_id:
            assign_lead(lead, owner_id, actor=actor, by=by, reason="bulk")
            count += 1
    return count


@transaction.atomic
def save_assignment_rule(
    org,
    *,
    name: str,
    only_on_shift: bool = False,
    agent_ids: list[int],
    source: LeadSource | None = None,
    rule: AssignmentRule | None = None,
    is_active: bool = True,
    actor: Actor,
) -> AssignmentRule:
    name = (name or "").strip()
    if not name:
        raise ActionError(_("give the rule a name"), field="name")
    agents = list(
        Membership.objects.filter(organisation=org, is_active=True, user_id__in=agent_ids).values_list(
            "user_id", flat=True
        )
    )
    if len(agents) != len(set(agent_ids)):
        raise ActionError(_("no such active member in this organisation"), field="agents", status_code=404)
    if not agents:
        raise ActionError(_("choose one or more active members of this organisation"), field="agents")
    if source is not None and source.organisation_id != org.pk:
        raise ActionError(_("no such source"), field="source")
    rule = rule or AssignmentRule(organisation=org)
    rule.name, rule.source, rule.is_active, rule.only_on_shift = name[:80], source, is_active, only_on_shift
    rule.save()
    # The through rows carry the organisation; set() adds only the missing ones and removes the rest.
    rule.agents.set(agents, through_defaults={"organisation": org})
    record(
        "assignment_rule.save", organisation=org, actor=actor, obj=rule, changes={"agents": sorted(agents)}
    )
    return rule


@transaction.atomic
def delete_assignment_rule(rule: AssignmentRule, *, actor: Actor) -> None:
    record("assignment_rule.delete", organisation=rule.organisation, actor=actor, obj=rule)
    rule.delete()
