"""/api/v1/rules: automation rules, for admins — list, add (or from a template), change, switch
off, delete, dry run, and the rule log."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.automation import actions
from leadtracker.automation.models import Rule, RuleRun
from leadtracker.automation.rules import TEMPLATES
from leadtracker.automation.scan import dry_run
from leadtracker.automation.timeline import describe, names_for, team_names
from leadtracker.lib.errors import ActionError
from leadtracker.lib.router import Router
from leadtracker.lib.schema import Strict, require_role

router = Router(ids_of="leadtracker.automation.api", tags=["automation"])


class AutomationRuleIn(Strict):
    name: str = Field(..., max_length=80)
    trigger: str = Field(
        ...,
        description="lead_created, status_changed, outcome_recorded, call_missed, "
        "not_called, follow_up_overdue or untouched",
    )
    wait_minutes: int = Field(0, description="N of the time-based triggers, in minutes")
    conditions: dict = Field(default_factory=dict)
    actions: list[dict] = Field(..., min_length=1, max_length=10)
    is_active: bool = True


class RuleFromTemplateIn(Strict):
    template: str = Field(..., description=", ".join(TEMPLATES))
    is_active: bool = Field(
        False, description="Added switched off unless true: read its dry run, then switch it on"
    )


class AutomationRuleOut(Schema):
    id: int
    name: str
    trigger: str
    wait_minutes: int
    conditions: dict
    actions: list[dict]
    is_active: bool
    time_based: bool


class RuleTemplateOut(Schema):
    key: str
    description: str


class DueLeadOut(Schema):
    id: int
    name: str


class RuleRunOut(Schema):
    id: int
    lead_id: int
    event: str
    fired_at: dt.datetime
    did: list[dict]
    summary: str


def _rule(request, automation_rule_id: int) -> Rule:
    # Looked up in the caller's organisation first: another's id is a 404 whoever asks.
    rule = get_object_or_404(Rule, organisation_id=request.org.pk, pk=automation_rule_id)
    require_role(request, Role.ADMIN)
    return rule


@router.get("/rules", response=list[AutomationRuleOut])
def list_rules(request):
    require_role(request, Role.ADMIN)
    return list(Rule.objects.filter(organisation_id=request.org.pk))


@router.get("/rules/templates", response=list[RuleTemplateOut])
def list_templates(request):
    require_role(request, Role.ADMIN)
    return [{"key": k, "description": str(v)} for k, v in TEMPLATES.items()]


@router.post("/rules", response={201: AutomationRuleOut})
def create_rule(request, payload: AutomationRuleIn):
    require_role(request, Role.ADMIN)
    rule = actions.save_rule(request.org, **payload.dict(), actor=Actor.from_request(request))
    return Status(201, rule)


@router.post("/rules/from-template", response={201: AutomationRuleOut})
def create_rule_from_template(request, payload: RuleFromTemplateIn):
    require_role(request, Role.ADMIN)
    return Status(
        201,
        actions.add_rule_from_template(
            request.org, payload.template, is_active=payload.is_active, actor=Actor.from_request(request)
        ),
    )


@router.get("/rules/{automation_rule_id}", response=AutomationRuleOut)
def get_rule(request, automation_rule_id: int):
    return _rule(request, automation_rule_id)


@router.put("/rules/{automation_rule_id}", response=AutomationRuleOut)
def update_rule(request, automation_rule_id: int, payload: AutomationRuleIn):
    rule = _rule(request, automation_rule_id)
    return actions.save_rule(request.org, **payload.dict(), rule=rule, actor=Actor.from_request(request))


@router.delete("/rules/{automation_rule_id}", response={204: None})
def delete_rule(request, automation_rule_id: int):
    actions.delete_rule(_rule(request, automation_rule_id), actor=Actor.from_request(request))
    return Status(204, None)


DRY_RUN = "Leads a time-based rule would fire on now"


@router.get("/rules/{automation_rule_id}/dry-run", response=list[DueLeadOut], summary=DRY_RUN)
def dry_run_rule(request, automation_rule_id: int):
    rule = _rule(request, automation_rule_id)
    if not rule.time_based:
        raise ActionError(_("only a time-based rule has leads due now"), field="trigger")
    return [{"id": lead.pk, "name": str(lead)} for lead in dry_run(rule)]


@router.get("/rules/{automation_rule_id}/runs", response=list[RuleRunOut], summary="The rule log, 100 newest")
def list_runs(request, automation_rule_id: int):
    rule = _rule(request, automation_rule_id)
    runs = list(
        RuleRun.objects.filter(organisation_id=request.org.pk, rule=rule).order_by("-fired_at", "-id")[:100]
    )
    users, statuses = names_for(runs)
    teams = team_names(request.org.pk, [rule])
    return [
        {
            "id": r.pk,
            "lead_id": r.lead_id,
            "event": r.event,
            "fired_at": r.fired_at,
            "did": r.did,
            "summary": describe(r.did, users, statuses, rule, teams),
        }
        for r in runs
    ]
