"""/api/v1/ settings: statuses, sources and their capture keys, assignment rules, webhooks, message
templates, tags."""

from django.utils.translation import gettext as _
from ninja import Status

from leadtracker.accounts.models import Role
from leadtracker.leads import selectors
from leadtracker.leads.actions import assignment as assignment_actions
from leadtracker.leads.actions import settings as settings_actions
from leadtracker.leads.actions import tags as tag_actions
from leadtracker.leads.api.lookups import actor_of, source_of
from leadtracker.leads.api.schemas import (
    DeliveryOut,
    PipelineIn,
    RuleIn,
    RuleOut,
    SourceIn,
    SourceOut,
    StatusOut,
    TagIn,
    TagOut,
    TemplateIn,
    TemplateOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from leadtracker.leads.models import (
    AssignmentRule,
    LeadStatus,
    MessageTemplate,
    Tag,
    WebhookDelivery,
    WebhookEndpoint,
)
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_page
from leadtracker.lib.router import Router
from leadtracker.lib.schema import require_role

router = Router(ids_of="leadtracker.leads.api", tags=["leads"])


def _admin_setting(request, model, pk):
    """One of the organisation's settings, for an admin. The id is looked up first: another
    organisation's id answers 404 whoever asks, as a missing one does."""
    setting = selectors.get_setting(model, request.org.pk, pk)
    require_role(request, Role.ADMIN)
    return setting


@router.get("/statuses", response=list[StatusOut], tags=["settings"])
def list_statuses(request):
    return list(selectors.statuses(request.org.pk))


@router.put(
    "/statuses", response=list[StatusOut], tags=["settings"], summary="Replace the pipeline, in order"
)
def put_statuses(request, payload: PipelineIn):
    require_role(request, Role.ADMIN)
    ids = {r.id for r in payload.statuses if r.id}
    known = set(
        LeadStatus.objects.filter(organisation_id=request.org.pk, pk__in=ids).values_list("pk", flat=True)
    )
    if ids - known:
        raise ActionError(_("no such status in this organisation"), field="statuses", status_code=404)
    return settings_actions.save_statuses(
        request.org, [r.model_dump() for r in payload.statuses], actor=actor_of(request)
    )


@router.get("/sources", response=list[SourceOut], tags=["settings"])
def list_sources(request):
    sources = list(selectors.sources(request.org.pk))
    if not request.membership.has_role(Role.ADMIN):
        for s in sources:
            s.capture_key = ""
    return sources


@router.post("/sources", response={201: SourceOut}, tags=["settings"])
def create_source(request, payload: SourceIn):
    require_role(request, Role.ADMIN)
    return Status(201, settings_actions.create_source(request.org, payload.name, actor=actor_of(request)))


@router.patch("/sources/{source_id}", response=SourceOut, tags=["settings"], summary="Rename a source")
def rename_source(request, source_id: int, payload: SourceIn):
    source = source_of(request, source_id)
    require_role(request, Role.ADMIN)
    return settings_actions.rename_source(source, payload.name, actor=actor_of(request))


@router.post(
    "/sources/{source_id}/capture-key",
    response=SourceOut,
    tags=["settings"],
    summary="Turn on web capture for this source, or rotate its key",
)
def rotate_capture_key(request, source_id: int):
    source = source_of(request, source_id)
    require_role(request, Role.ADMIN)
    return settings_actions.rotate_capture_key(source, actor=actor_of(request))


@router.delete(
    "/sources/{source_id}/capture-key",
    response=SourceOut,
    tags=["settings"],
    summary="Turn web capture off for this source (its key stops working at once)",
)
def disable_capture(request, source_id: int):
    source = source_of(request, source_id)
    require_role(request, Role.ADMIN)
    return settings_actions.disable_capture(source, actor=actor_of(request))


def _rule_out(rule: AssignmentRule) -> RuleOut:
    return RuleOut(
        id=rule.pk,
        name=rule.name,
        source_id=rule.source_id,
        agent_ids=sorted(rule.agents.values_list("pk", flat=True)),
        is_active=rule.is_active,
        only_on_shift=rule.only_on_shift,
    )


@router.get("/assignment-rules", response=list[RuleOut], tags=["settings"])
def list_rules(request):
    require_role(request, Role.MANAGER)
    return [_rule_out(r) for r in AssignmentRule.objects.filter(organisation_id=request.org.pk)]


@router.post("/assignment-rules", response={201: RuleOut}, tags=["settings"])
def create_rule(request, payload: RuleIn):
    require_role(request, Role.ADMIN)
    rule = assignment_actions.save_assignment_rule(
        request.org,
        name=payload.name,
        agent_ids=payload.agent_ids,
        source=source_of(request, payload.source_id),
        is_active=payload.is_active,
        only_on_shift=payload.only_on_shift,
        actor=actor_of(request),
    )
    return Status(201, _rule_out(rule))


@router.put("/assignment-rules/{rule_id}", response=RuleOut, tags=["settings"])
def update_rule(request, rule_id: int, payload: RuleIn):
    rule = _admin_setting(request, AssignmentRule, rule_id)
    rule = assignment_actions.save_assignment_rule(
        request.org,
        name=payload.name,
        agent_ids=payload.agent_ids,
        source=source_of(request, payload.source_id),
        is_active=payload.is_active,
        only_on_shift=payload.only_on_shift,
        rule=rule,
        actor=actor_of(request),
    )
    return _rule_out(rule)


@router.delete("/assignment-rules/{rule_id}", response={204: None}, tags=["settings"])
def delete_rule(request, rule_id: int):
    rule = _admin_setting(request, AssignmentRule, rule_id)
    assignment_actions.delete_assignment_rule(rule, actor=actor_of(request))
    return Status(204, None)


# --- webhooks --------------------------------------------------------------------------


@router.get("/webhooks", response=list[WebhookOut], tags=["settings"])
def list_webhooks(request):
    require_role(request, Role.ADMIN)
    return list(WebhookEndpoint.objects.filter(organisation_id=request.org.pk).order_by("id"))


@router.post("/webhooks", response={201: WebhookCreated}, tags=["settings"])
def create_webhook(request, payload: WebhookIn):
    require_role(request, Role.ADMIN)
    hook = settings_actions.save_webhook(
        request.org,
        url=payload.url,
        events=payload.events,
        is_active=payload.is_active,
        actor=actor_of(request),
    )
    return Status(201, WebhookCreated.of(hook))


@router.delete("/webhooks/{webhook_id}", response={204: None}, tags=["settings"])
def delete_webhook(request, webhook_id: int):
    hook = _admin_setting(request, WebhookEndpoint, webhook_id)
    settings_actions.delete_webhook(hook, actor=actor_of(request))
    return Status(204, None)


@router.post(
    "/webhooks/{webhook_id}/secret",
    response=WebhookCreated,
    tags=["settings"],
    summary="Replace the signing secret (the old one stops at once); the new one is shown once",
)
def rotate_webhook_secret(request, webhook_id: int):
    hook = _admin_setting(request, WebhookEndpoint, webhook_id)
    return WebhookCreated.of(settings_actions.rotate_webhook_secret(hook, actor=actor_of(request)))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=list[DeliveryOut],
    tags=["settings"],
    summary="The delivery log, newest first",
)
def webhook_deliveries(request, webhook_id: int, cursor: int | None = None, limit: int = 50):
    hook = _admin_setting(request, WebhookEndpoint, webhook_id)
    rows, _next = keyset_page(
        WebhookDelivery.objects.filter(endpoint=hook), cursor=cursor, limit=limit, descending=True
    )
    return rows


# --- message templates and tags -------------------------------------------------------
# Everyone reads them (agents send the templates and tag their leads); only admins change
# them, as with the rest of the organisation's lead settings.


@router.get("/message-templates", response=list[TemplateOut], tags=["settings"])
def list_message_templates(request):
    return list(selectors.message_templates(request.org.pk))


@router.post("/message-templates", response={201: TemplateOut}, tags=["settings"])
def create_message_template(request, payload: TemplateIn):
    require_role(request, Role.ADMIN)
    return Status(
        201,
        settings_actions.save_message_template(
            request.org, name=payload.name, body=payload.body, actor=actor_of(request)
        ),
    )


@router.put("/message-templates/{template_id}", response=TemplateOut, tags=["settings"])
def update_message_template(request, template_id: int, payload: TemplateIn):
    template = _admin_setting(request, MessageTemplate, template_id)
    return settings_actions.save_message_template(
        request.org, name=payload.name, body=payload.body, template=template, actor=actor_of(request)
    )


@router.delete("/message-templates/{template_id}", response={204: None}, tags=["settings"])
def delete_message_template(request, template_id: int):
    template = _admin_setting(request, MessageTemplate, template_id)
    settings_actions.delete_message_template(template, actor=actor_of(request))
    return Status(204, None)


@router.get("/tags", response=list[TagOut], tags=["settings"])
def list_tags(request):
    return list(selectors.tags(request.org.pk))


@router.post("/tags", response={201: TagOut}, tags=["settings"])
def create_tag(request, payload: TagIn):
    require_role(request, Role.ADMIN)
    return Status(201, tag_actions.create_tag(request.org, payload.name, actor=actor_of(request)))


@router.patch("/tags/{tag_id}", response=TagOut, tags=["settings"], summary="Rename a tag on every lead")
def rename_tag(request, tag_id: int, payload: TagIn):
    tag = _admin_setting(request, Tag, tag_id)
    return tag_actions.rename_tag(tag, payload.name, actor=actor_of(request))


@router.delete(
    "/tags/{tag_id}", response={204: None}, tags=["settings"], summary="Remove a tag from every lead"
)
def delete_tag(request, tag_id: int):
    tag = _admin_setting(request, Tag, tag_id)
    tag_actions.delete_tag(tag, actor=actor_of(request))
    return Status(204, None)
