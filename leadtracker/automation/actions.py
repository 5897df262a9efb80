"""Writing rules: add (from scratch or a template), change, switch on or off, delete — each
with its audit event (ids, names of rules and flags; a rule holds no one's personal data)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.automation.models import Rule
from leadtracker.automation.rules import clean_actions, clean_conditions, clean_trigger, template_rule
from leadtracker.automation.scan import start_cursor
from leadtracker.lib.errors import ActionError, Conflict


def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > 80:
        raise ActionError(_("give a name of at most 80 characters"), field="name")
    return name


@transaction.atomic
def save_rule(
    org,
    *,
    name: str,
    trigger: str,
    wait_minutes: int = 0,
    conditions=None,
    actions=None,
    is_active: bool = True,
    rule: Rule | None = None,
    actor: Actor,
) -> Rule:
    """Add a rule, or change ``rule``. A time-based rule's scan starts (again) a day back from
    now when it is added, switched on, or given another trigger or wait."""
    now = timezone.now()
    name = _clean_name(name)
    trigger, wait_minutes = clean_trigger(trigger, wait_minutes)
    conditions = clean_conditions(org.pk, conditions, org.phone_region)
    actions = clean_actions(org.pk, actions)
    created = rule is None
    rule = rule or Rule(organisation=org, created_at=now)
    restart = (
        created
        or (is_active and not rule.is_active)
        or (trigger, wait_minutes) != (rule.trigger, rule.wait_minutes)
    )
    rule.name, rule.trigger, rule.wait_minutes = name, trigger, wait_minutes
    rule.conditions, rule.actions, rule.is_active, rule.updated_at = conditions, actions, bool(is_active), now
    if restart:
        start_cursor(rule, now)
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise Conflict(_("a rule with this name exists"), field="name") from None
    record(
        "rule.create" if created else "rule.update",
        organisation=org,
        actor=actor,
        obj=rule,
        changes={
            "trigger": trigger,
            "wait_minutes": wait_minutes,
            "conditions": sorted(conditions),
            "actions": [a["type"] for a in actions],
            "is_active": rule.is_active,
        },
    )
    return rule


def add_rule_from_template(org, key: str, *, actor: Actor, is_active: bool = False) -> Rule:
    """A rule from one of rules.TEMPLATES, named so it does not clash — switched OFF unless
    asked: switched on at once, the 5-minute SLA acted on 270 existing leads within a minute
    before anyone had seen its dry run."""
    fields = template_rule(org.pk, key)
    base, n = fields["name"], 2
    while Rule.objects.filter(organisation=org, name=fields["name"]).exists():
        fields["name"] = f"{base} ({n})"
        n += 1
    return save_rule(org, **fields, is_active=is_active, actor=actor)


@transaction.atomic
def set_rule_active(rule: Rule, is_active: bool, *, actor: Actor) -> Rule:
    if rule.is_active == bool(is_active):
        return rule
    rule.is_active = bool(is_active)
    rule.updated_at = timezone.now()
    if rule.is_active:
        start_cursor(rule, rule.updated_at)
    rule.save(update_fields=["is_active", "updated_at", "scanned_at", "scanned_id"])
    record(
        "rule.switch",
        organisation=rule.organisation,
        actor=actor,
        obj=rule,
        changes={"is_active": rule.is_active},
    )
    return rule


@transaction.atomic
def delete_rule(rule: Rule, *, actor: Actor) -> None:
    """Its log goes with it (the leads' timelines lose its lines; the audit log keeps the events)."""
    record("rule.delete", organisation=rule.organisation, actor=actor, obj=rule)
    rule.delete()
