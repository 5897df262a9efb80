"""/api/v1/ — leads, their timeline and follow-ups, pipeline settings, rules, webhooks,
imports, exports and web capture."""

import datetime as dt
import json
from decimal import Decimal
from typing import Literal

from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder
from pydantic import ConfigDict, Field

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role
from leadtracker.leads import access, actions, consent, masking, selectors
from leadtracker.leads.consent import unsubscribe_url
from leadtracker.leads.models import (
    AssignmentRule,
    FollowUp,
    FollowUpKind,
    ImportJob,
    Lead,
    LeadPhone,
    LeadSource,
    LeadStatus,
    LeadTag,
    MessageTemplate,
    Tag,
    WebhookDelivery,
    WebhookEndpoint,
)
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_page, keyset_sorted
from leadtracker.lib.schema import Amount, Choice, Moment, Strict, require_role

router = Router(tags=["leads"])


def actor_of(request) -> Actor:
    return Actor.from_request(request)


# --- schemas ---------------------------------------------------------------------------


class PhoneOut(Schema):
    e164: str
    raw: str


class LeadOut(Schema):
    id: int
    name: str
    company: str
    email: str
    phone: str
    phones: list[str]
    city: str
    address: str
    source: str | None
    source_id: int | None
    status: str
    status_id: int
    status_kind: str
    owner_id: int | None
    value: Decimal | None
    tags: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    last_contacted_at: dt.datetime | None
    next_follow_up_at: dt.datetime | None
    do_not_call: bool
    marketing_consent: bool
    lost_reason: str
    extra: dict
    unsubscribe_url: str = Field(
        ..., description="the lead's signed link to stop marketing messages, for campaign senders"
    )

    @staticmethod
    def of(lead: Lead, phones=None, tags=None) -> "LeadOut":
        if phones is None:
            phones = [p.e164 for p in lead.phones.all()]
        if tags is None:
            tags = [t.name for t in lead.tags.all()]
        return LeadOut(
            id=lead.pk,
            name=lead.name,
            company=lead.company,
            email=lead.email,
            phone=lead.phone,
            phones=phones,
            city=lead.city,
            address=lead.address,
            source=lead.source.name if lead.source_id else None,
            source_id=lead.source_id,
            status=lead.status.name,
            status_id=lead.status_id,
            status_kind=lead.status.kind,
            owner_id=lead.owner_id,
            value=lead.value,
            tags=tags,
            created_at=lead.created_at,
            updated_at=lead.updated_at,
            last_contacted_at=lead.last_contacted_at,
            next_follow_up_at=lead.next_follow_up_at,
            do_not_call=lead.do_not_call,
            marketing_consent=lead.marketing_consent,
            lost_reason=lead.lost_reason,
            extra=lead.extra,
            unsubscribe_url=unsubscribe_url(lead),
        )


class ConsentOut(Schema):
    id: int
    purpose: str
    given: bool
    method: str
    notice_version: int | None = Field(..., description="the privacy notice in effect at the time")
    recorded_by_id: int | None = Field(..., description="none when the person acted themselves (the link)")
    note: str
    occurred_at: dt.datetime

    @staticmethod
    def of(event) -> "ConsentOut":
        return ConsentOut(
            id=event.pk,
            purpose=event.purpose,
            given=event.given,
            method=event.method,
            notice_version=event.notice_version,
            recorded_by_id=event.recorded_by_id,
            note=event.note,
            occurred_at=event.occurred_at,
        )


class ConsentIn(Strict):
    given: bool
    method: Literal["phone", "in_person", "email", "form", "api", "admin"] = Field(
        ..., description="how the person said it"
    )
    note: str = Field("", max_length=300)


class MemberConsentIn(Strict):
    given: bool
    note: str = Field("", max_length=300)


class MemberConsentOut(Schema):
    marketing_consent: bool
    history: list[ConsentOut]


class LeadConsentOut(MemberConsentOut):
    """A lead's marketing consent and its history, newest first."""


class LeadPage(Schema):
    items: list[LeadOut]
    next_cursor: str | None


class LeadIn(Strict):
    name: str = Field("", max_length=200)
    company: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phones: list[str] = Field(default_factory=list, max_length=10, description="the first is the main number")
    city: str = Field("", max_length=100)
    address: str = Field("", max_length=2000)
    source_id: int | None = None
    status_id: int | None = None
    owner_id: int | None = None
    value: Amount | None = Field(None, ge=0)
    tags: list[str] = Field(default_factory=list, max_length=50)
    do_not_call: bool = False
    marketing_consent: bool = False
    note: str = Field("", max_length=10_000)


class LeadPatch(Strict):
    name: str | None = Field(None, max_length=200)
    company: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    city: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=2000)
    source_id: int | None = None
    value: Amount | None = Field(None, ge=0)
    do_not_call: bool | None = None
    marketing_consent: bool | None = None
    lost_reason: str | None = Field(None, max_length=200)


class LeadFilters(Schema):
    q: str = ""
    status: int | None = None
    owner: int | None = None
    team: int | None = Field(None, description="a manager's member id: their subtree")
    source: int | None = None
    tag: int | None = None
    follow_up: str | None = Field(None, pattern="^(overdue|today)$")
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    unassigned: bool = False
    sort: str = Field("next_follow_up", pattern="^-?(next_follow_up|created|updated|name)$")


class StatusIn(Strict):
    status_id: int
    lost_reason: str = Field("", max_length=200)


class AssignIn(Strict):
    owner_id: int | None


class PhonesIn(Strict):
    phones: list[str] = Field(..., max_length=10)


class TagsIn(Strict):
    tags: list[str] = Field(..., max_length=50)


class NoteIn(Strict):
    body: str = Field(..., min_length=1, max_length=10_000)


class ActivityOut(Schema):
    id: int | None = Field(None, description="none for calls, which carry data.call_id")
    kind: str
    at: dt.datetime
    actor_id: int | None
    body: str
    data: dict
    follow_up_id: int | None


class FollowUpIn(Strict):
    due_at: Moment
    kind: Choice[FollowUpKind] = FollowUpKind.CALL
    assignee_id: int | None = None
    note: str = Field("", max_length=2000)
    remind_minutes_before: int = Field(15, ge=0, le=10080)


class FollowUpPatch(Strict):
    due_at: Moment | None = None
    kind: Choice[FollowUpKind] | None = None
    assignee_id: int | None = None
    note: str | None = Field(None, max_length=2000)
    remind_minutes_before: int | None = Field(None, ge=0, le=10080)


class CancelIn(Strict):
    reason: str = Field("", max_length=200, description="why it will not happen; kept as the outcome")


class FollowUpOut(Schema):
    id: int
    lead_id: int
    lead_name: str
    assignee_id: int | None
    kind: str
    due_at: dt.datetime
    note: str
    remind_minutes_before: int
    state: str = Field(..., description="open, done or cancelled")
    done_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancelled_by_id: int | None
    outcome: str = Field(..., description="what happened (done) or why not (cancelled)")

    @staticmethod
    def of(fu: FollowUp) -> "FollowUpOut":
        return FollowUpOut(
            id=fu.pk,
            lead_id=fu.lead_id,
            lead_name=str(fu.lead),
            assignee_id=fu.assignee_id,
            kind=fu.kind,
            due_at=fu.due_at,
            note=fu.note,
            remind_minutes_before=fu.remind_minutes_before,
            state=fu.state,
            done_at=fu.done_at,
            cancelled_at=fu.cancelled_at,
            cancelled_by_id=fu.cancelled_by_id,
            outcome=fu.outcome,
        )


class DoneIn(Strict):
    outcome: str = Field("", max_length=200)


class AgendaOut(Schema):
    overdue: list[FollowUpOut]
    today: list[FollowUpOut]
    upcoming: list[FollowUpOut]


class MergeIn(Strict):
    duplicate_id: int


class BulkIn(Strict):
    ids: list[int] = Field(..., min_length=1, max_length=1000)
    action: str = Field(..., pattern="^(assign|status|tag|delete)$")
    owner_id: int | None = None
    status_id: int | None = None
    tags: list[str] = Field(default_factory=list, max_length=50)


class BulkOut(Schema):
    changed: int


class DuplicatePair(Schema):
    lead_id: int
    other_id: int
    reason: str


class StatusRow(Strict):
    # What a client copied from GET /statuses (position) is let through: the order is the list's.
    model_config = ConfigDict(extra="ignore")

    id: int | None = None
    name: str = Field(..., max_length=60)
    kind: str = "open"


class StatusOut(Schema):
    id: int
    name: str
    kind: str
    position: int


class PipelineIn(Strict):
    statuses: list[StatusRow] = Field(..., min_length=1, max_length=30)


class SourceIn(Strict):
    name: str = Field(..., min_length=1, max_length=80)


class SourceOut(Schema):
    id: int
    name: str
    capture_key: str


class RuleIn(Strict):
    name: str = Field(..., max_length=80)
    agent_ids: list[int] = Field(..., min_length=1, max_length=500)
    source_id: int | None = None
    is_active: bool = True
    only_on_shift: bool = Field(False, description="skip agents who are not punched in")


class RuleOut(Schema):
    id: int
    name: str
    source_id: int | None
    agent_ids: list[int]
    is_active: bool
    only_on_shift: bool


class WebhookIn(Strict):
    url: str = Field(..., max_length=500)
    events: list[str] = Field(..., min_length=1)
    is_active: bool = True


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool


class WebhookCreated(WebhookOut):
    secret: str = Field(..., description="for checking X-LeadTracker-Signature; shown once")

    @staticmethod
    def of(hook: WebhookEndpoint) -> "WebhookCreated":
        return WebhookCreated(
            id=hook.pk, url=hook.url, events=hook.events, is_active=hook.is_active, secret=hook.secret
        )


class TemplateIn(Strict):
    name: str = Field(..., min_length=1, max_length=60)
    body: str = Field(
        ...,
        min_length=1,
        max_length=1000,
        description="placeholders: {name}, {company}, {agent}, {organisation}, {unsubscribe_url}",
    )


class TemplateOut(Schema):
    id: int
    name: str
    body: str
    position: int


class TagIn(Strict):
    name: str = Field(..., min_length=1, max_length=50)


class TagOut(Schema):
    id: int
    name: str


class DeliveryOut(Schema):
    id: int
    event: str
    state: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: dt.datetime
    delivered_at: dt.datetime | None


class ImportIssueOut(Schema):
    kind: str = Field(
        description="error: the row is not a lead; warning: it is, with this value changed or left out"
    )
    row: int
    column: str
    value: str
    reason: str


class ImportValueMapping(Strict):
    status: dict[str, int | str] = Field(
        default_factory=dict, description="a value of the status column → a status id or name"
    )
    owner: dict[str, int | str] = Field(
        default_factory=dict,
        description='a value of the owner column → a member\'s user id or e-mail, "rules" or "none"',
    )
    unknown_owner: str = Field(
        "rules",
        pattern="^(rules|none)$",
        description="an owner who is not a member: by the assignment rules, or unowned",
    )


class ImportValueOut(Schema):
    value: str
    rows: int
    how: str
    warning: str


class ImportStatusValueOut(ImportValueOut):
    status_id: int | None


class ImportOwnerValueOut(ImportValueOut):
    owner: int | str = Field(description='a user id, "rules" or "none"')


class ImportValuesOut(Schema):
    status: list[ImportStatusValueOut]
    owner: list[ImportOwnerValueOut]
    scanned: int
    complete: bool


class ImportOut(Schema):
    id: int
    file_name: str
    state: str
    headers: list[str]
    mapping: dict
    progress: float
    rows: int
    created: int
    updated: int
    duplicates: int
    errors: int
    warnings: int
    value_mapping: dict
    issues: list[ImportIssueOut] = Field(
        description="The first 50 errors and warnings; the report (GET …/errors) holds them all"
    )
    has_error_report: bool
    failure: str

    @staticmethod
    def of(job: ImportJob) -> "ImportOut":
        return ImportOut(
            id=job.pk,
            file_name=job.file_name,
            state=job.state,
            headers=job.headers,
            mapping=job.mapping,
            progress=job.progress,
            rows=job.rows,
            created=job.created,
            updated=job.updated,
            duplicates=job.duplicates,
            errors=job.errors,
            warnings=job.warnings,
            value_mapping=job.value_mapping,
            issues=job.first_issues,
            has_error_report=bool(job.error_report_path),
            failure=job.failure,
        )


class ImportStart(Strict):
    mapping: dict[str, str] | None = None
    on_duplicate: str = Field("skip", pattern="^(skip|update|create)$")
    owner_id: int | None = None
    source: str = Field("", max_length=80)
    value_mapping: ImportValueMapping | None = None


# --- helpers ---------------------------------------------------------------------------


def _lead(request, lead_id: int) -> Lead:
    return selectors.get_lead(request.membership, lead_id)


def _status(request, status_id: int) -> LeadStatus:
    status = LeadStatus.objects.filter(organisation_id=request.org.pk, pk=status_id).first()
    if status is None:
        raise ActionError("no such status in this organisation", field="status_id", status_code=404)
    return status


def _source(request, source_id: int | None) -> LeadSource | None:
    if source_id is None:
        return None
    source = LeadSource.objects.filter(organisation_id=request.org.pk, pk=source_id).first()
    if source is None:
        raise ActionError("no such source in this organisation", field="source_id", status_code=404)
    return source


def with_related(qs):
    return qs.select_related("status", "source").prefetch_related("phones", "tags")


def filtered(request, filters: LeadFilters):
    viewer = request.membership
    qs = selectors.leads_for(viewer)
    qs = selectors.filter_leads(
        qs,
        viewer,
        status=filters.status,
        owner=filters.owner,
        team=filters.team,
        source=filters.source,
        tag=filters.tag,
        follow_up=filters.follow_up,
        created_from=filters.created_from,
        created_to=filters.created_to,
        unassigned=filters.unassigned,
        tz=request.org.tzinfo,
    )
    return selectors.search(qs, filters.q, request.org.pk, request.org.phone_region)


SORT_FIELDS = {
    "next_follow_up": "next_follow_up_at",
    "created": "created_at",
    "updated": "updated_at",
    "name": "name",
}


def _parse_sort_value(field):
    if field == "name":
        return lambda v: v
    return lambda v: dt.datetime.fromisoformat(v)


# --- leads -----------------------------------------------------------------------------


@router.get("/leads", response=LeadPage, summary="Leads the caller may see, filtered, sorted, keyset-paged")
def list_leads(request, filters: Query[LeadFilters], cursor: str | None = None, limit: int = 50):
    field = SORT_FIELDS[filters.sort.lstrip("-")]
    rows, next_cursor = keyset_sorted(
        filtered(request, filters).values(*LIST_FIELDS, **LIST_RELATED),
        field=field,
        descending=filters.sort.startswith("-"),
        cursor=cursor,
        limit=limit,
        parse=_parse_sort_value(field),
    )
    access.number_searched(request, filters.q, via="api", cursor=cursor)
    return _page_response(rows, next_cursor, request.org.pk, viewer=request.membership)


# The list is the API's hottest read. It reads plain rows (no model objects) and writes the
# JSON itself: building 50 models and letting ninja validate them again through its
# attribute-by-attribute getter cost ~10 ms a page, several times the queries. The output is
# LeadPage exactly (a test compares it with LeadOut.of for the same leads); the OpenAPI
# document still describes it with the declared schema.
LIST_FIELDS = (
    "id",
    "name",
    "company",
    "email",
    "phone",
    "city",
    "address",
    "source_id",
    "status_id",
    "owner_id",
    "value",
    "created_at",
    "updated_at",
    "last_contacted_at",
    "next_follow_up_at",
    "do_not_call",
    "marketing_consent",
    "lost_reason",
    "extra",
)
LIST_RELATED = {
    "source_name": F("source__name"),
    "status_name": F("status__name"),
    "status_kind": F("status__kind"),
}


def _page_response(rows: list[dict], next_cursor: str | None, org_id: int, viewer=None) -> HttpResponse:
    ids = [r["id"] for r in rows]
    phones: dict[int, list[str]] = {}
    tags: dict[int, list[str]] = {}
    if ids:
        for lead_id, e164 in (
            LeadPhone.objects.filter(lead_id__in=ids)
            .order_by("position", "id")
            .values_list("lead_id", "e164")
        ):
            phones.setdefault(lead_id, []).append(e164)
        for lead_id, name in (
            LeadTag.objects.filter(lead_id__in=ids)
            .order_by("tag__name", "tag_id")
            .values_list("lead_id", "tag__name")
        ):
            tags.setdefault(lead_id, []).append(name)
    items = []
    link = consent.link_maker()
    for r in rows:
        items.append(
            {
                "id": r["id"],
                "name": r["name"],
                "company": r["company"],
                "email": r["email"],
                "phone": r["phone"],
                "phones": phones.get(r["id"], []),
                "city": r["city"],
                "address": r["address"],
                "source": r["source_name"],
                "source_id": r["source_id"],
                "status": r["status_name"],
                "status_id": r["status_id"],
                "status_kind": r["status_kind"],
                "owner_id": r["owner_id"],
                "value": r["value"],
                "tags": tags.get(r["id"], []),
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
                "last_contacted_at": r["last_contacted_at"],
                "next_follow_up_at": r["next_follow_up_at"],
                "do_not_call": r["do_not_call"],
                "marketing_consent": r["marketing_consent"],
                "lost_reason": r["lost_reason"],
                "extra": r["extra"],
                "unsubscribe_url": link(org_id, r["id"]),
            }
        )
    masking.mask_lead_items(viewer, items)
    body = json.dumps({"items": items, "next_cursor": next_cursor}, cls=NinjaJSONEncoder)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.post("/leads", response={201: LeadOut}, summary="Create a lead (409 if its number or e-mail exists)")
def create_lead(
    request, payload: LeadIn, on_duplicate: str = Query("error", pattern="^(error|skip|update|create)$")
):
    data = actions.LeadData(
        name=payload.name,
        company=payload.company,
        email=payload.email,
        phones=payload.phones,
        city=payload.city,
        address=payload.address,
        source=_source(request, payload.source_id),
        status=_status(request, payload.status_id) if payload.status_id else None,
        owner_id=payload.owner_id,
        value=payload.value,
        tags=payload.tags,
        do_not_call=payload.do_not_call,
        marketing_consent=payload.marketing_consent,
        consent_method="api",
    )
    try:
        lead, _outcome = actions.create_lead(
            request.org, data, actor=actor_of(request), by=request.membership, on_duplicate=on_duplicate
        )
    except actions.DuplicateLead as exc:
        visible = selectors.leads_for(request.membership).filter(pk=exc.existing.pk).exists()
        detail = exc.message if visible else f"a lead with this {exc.matched_on} exists"
        raise ActionError(detail, field=exc.field, status_code=409) from None
    if payload.note:
        actions.add_note(lead, payload.note, actor=actor_of(request), by=None)
    return Status(201, LeadOut.of(with_related(Lead.objects.filter(pk=lead.pk)).get()))


@router.get("/leads/duplicates", response=list[DuplicatePair], summary="Likely duplicate pairs")
def duplicates(request):
    require_role(request, Role.MANAGER)
    return [DuplicatePair(**p) for p in selectors.duplicate_pairs(request.membership)]


@router.get("/leads/export", summary="The filtered list as CSV or XLSX (audited)")
def export_leads(
    request,
    filters: Query[LeadFilters],
    format: str = Query("csv", pattern="^(csv|xlsx)$"),
    campaign: bool = Query(
        False,
        description="for a campaign: leaves out do-not-call, unconsenting and erased leads (counted in "
        "the X-Left-Out, X-Left-Out-Erased, X-Left-Out-Do-Not-Call, X-Left-Out-No-Consent headers) "
        "and adds each lead's unsubscribe_url",
    ),
):
    from leadtracker.leads.export import export_response

    require_role(request, Role.MANAGER)
    return export_response(request, filtered(request, filters), format, campaign=campaign)


@router.post(
    "/leads/bulk", response=BulkOut, summary="Assign, change status, tag or delete (to the trash) many leads"
)
def bulk(request, payload: BulkIn):
    by = require_role(request, Role.MANAGER)
    leads = selectors.leads_for(by).filter(pk__in=payload.ids)
    if leads.count() != len(set(payload.ids)):
        raise ActionError(
            "some of these leads do not exist or are not yours to change", field="ids", status_code=404
        )
    actor = actor_of(request)
    # Every id a request names is checked, used by this action or not.
    status = _status(request, payload.status_id) if payload.status_id is not None else None
    if payload.owner_id is not None:
        actions.check_owner(by, payload.owner_id, request.org.pk, field="owner_id")
    if payload.action == "assign":
        return BulkOut(changed=actions.bulk_assign(leads, payload.owner_id, actor=actor, by=by))
    if payload.action == "status":
        if payload.status_id is None:
            raise ActionError("choose a status", field="status_id")
        return BulkOut(changed=actions.bulk_change_status(leads, status, actor=actor, by=by))
    if payload.action == "tag":
        if not payload.tags:
            raise ActionError("give one or more tags", field="tags")
        return BulkOut(changed=sum(bool(actions.add_tags(lead, payload.tags, actor=actor)) for lead in leads))
    return BulkOut(changed=actions.delete_leads(leads, actor=actor, by=by))


@router.get("/leads/{lead_id}", response=LeadOut)
def get_lead(request, lead_id: int):
    out = LeadOut.of(with_related(selectors.leads_for(request.membership)).get(pk=_lead(request, lead_id).pk))
    if request.method == "GET":  # the writes answer through this too; they are audited as writes
        access.lead_viewed(request, lead_id, via="api")
    return masking.mask_lead_items(request.membership, [out])[0]


@router.patch("/leads/{lead_id}", response=LeadOut)
def patch_lead(request, lead_id: int, payload: LeadPatch):
    lead = _lead(request, lead_id)
    fields = payload.model_dump(exclude_unset=True)
    if "source_id" in fields:
        fields["source"] = _source(request, fields.pop("source_id"))
    actions.update_lead(lead, actor=actor_of(request), by=request.membership, consent_method="api", **fields)
    return get_lead(request, lead_id)


@router.delete(
    "/leads/{lead_id}",
    response={204: None},
    summary="Move a lead to the trash (GET /leads/trash; restorable for 30 days, then purged)",
)
def delete_lead(request, lead_id: int):
    lead = _lead(request, lead_id)
    actions.delete_leads(Lead.objects.filter(pk=lead.pk), actor=actor_of(request), by=request.membership)
    return Status(204, None)


@router.post("/leads/{lead_id}/status", response=LeadOut)
def change_status(request, lead_id: int, payload: StatusIn):
    lead = _lead(request, lead_id)
    actions.change_status(
        lead,
        _status(request, payload.status_id),
        actor=actor_of(request),
        by=request.membership,
        lost_reason=payload.lost_reason,
    )
    return get_lead(request, lead_id)


@router.post("/leads/{lead_id}/assign", response=LeadOut)
def assign(request, lead_id: int, payload: AssignIn):
    lead = _lead(request, lead_id)
    actions.assign_lead(lead, payload.owner_id, actor=actor_of(request), by=request.membership)
    return get_lead(request, lead_id)


@router.put("/leads/{lead_id}/phones", response=LeadOut)
def set_phones(request, lead_id: int, payload: PhonesIn):
    lead = _lead(request, lead_id)
    try:
        actions.set_phones(lead, payload.phones, actor=actor_of(request), by=request.membership)
    except actions.DuplicateLead:
        raise ActionError("another lead has this number", field="phones", status_code=409) from None
    return get_lead(request, lead_id)


@router.put("/leads/{lead_id}/tags", response=LeadOut)
def set_tags(request, lead_id: int, payload: TagsIn):
    lead = _lead(request, lead_id)
    actions.set_tags(lead, payload.tags, actor=actor_of(request), by=request.membership)
    return get_lead(request, lead_id)


@router.get("/leads/{lead_id}/timeline", response=list[ActivityOut], summary="Newest first")
def timeline(request, lead_id: int):
    lead = _lead(request, lead_id)
    access.lead_viewed(request, lead.pk, via="api", part="timeline")
    return selectors.timeline(lead)


@router.post("/leads/{lead_id}/notes", response={201: ActivityOut})
def add_note(request, lead_id: int, payload: NoteIn):
    note = actions.add_note(
        _lead(request, lead_id), payload.body, actor=actor_of(request), by=request.membership
    )
    return Status(201, note)


@router.get("/leads/{lead_id}/follow-ups", response=list[FollowUpOut])
def lead_follow_ups(request, lead_id: int):
    lead = _lead(request, lead_id)
    return [FollowUpOut.of(f) for f in lead.follow_ups.select_related("lead").order_by("-due_at")[:200]]


@router.post("/leads/{lead_id}/follow-ups", response={201: FollowUpOut})
def add_follow_up(request, lead_id: int, payload: FollowUpIn):
    fu = actions.schedule_follow_up(
        _lead(request, lead_id),
        due_at=payload.due_at,
        kind=payload.kind,
        assignee_id=payload.assignee_id,
        note=payload.note,
        remind_minutes_before=payload.remind_minutes_before,
        actor=actor_of(request),
        by=request.membership,
    )
    return Status(201, FollowUpOut.of(fu))


@router.post("/leads/{lead_id}/merge", response=LeadOut, summary="Fold another lead into this one")
def merge(request, lead_id: int, payload: MergeIn):
    primary = _lead(request, lead_id)
    duplicate = get_object_or_404(selectors.leads_for(request.membership), pk=payload.duplicate_id)
    actions.merge_leads(primary, duplicate, actor=actor_of(request), by=request.membership)
    return get_lead(request, lead_id)


@router.get(
    "/leads/{lead_id}/consents", response=list[ConsentOut], summary="The lead's consent history, newest first"
)
def lead_consents(request, lead_id: int):
    return [ConsentOut.of(e) for e in consent.lead_history(_lead(request, lead_id))]


@router.post(
    "/leads/{lead_id}/consents",
    response={201: ConsentOut, 200: LeadConsentOut},
    summary="Record consent given or withdrawn (201, the event); when it already was so, nothing is "
    "recorded and the answer is 200 with the lead's consent and its history, which may be empty",
)
def record_lead_consent(request, lead_id: int, payload: ConsentIn):
    lead = _lead(request, lead_id)
    event = consent.set_lead_consent(
        lead,
        given=payload.given,
        method=payload.method,
        note=payload.note,
        actor=actor_of(request),
        by=request.membership,
    )
    if event is None:
        # Nothing changed. Not "the latest event": a lead that never consented has none, and
        # withdrawing what was never given was a 500.
        return Status(
            200,
            LeadConsentOut(
                marketing_consent=payload.given,
                history=[ConsentOut.of(e) for e in consent.lead_history(lead)],
            ),
        )
    return Status(201, ConsentOut.of(event))


@router.get(
    "/members/{member_id}/consents",
    response=MemberConsentOut,
    summary="A member's marketing consent and its history (the member or an admin)",
)
def member_consents(request, member_id: int):
    member = _consent_member(request, member_id)
    if member.pk != request.membership.pk and not request.membership.has_role(Role.ADMIN):
        raise ActionError("only the member or an admin sees this", field="member_id", status_code=403)
    return MemberConsentOut(
        marketing_consent=consent.member_consent(member),
        history=[ConsentOut.of(e) for e in consent.member_history(member)],
    )


@router.post(
    "/members/{member_id}/consents",
    response={201: ConsentOut, 200: MemberConsentOut},
    summary="The member gives or withdraws their own marketing consent",
)
def record_member_consent(request, member_id: int, payload: MemberConsentIn):
    member = _consent_member(request, member_id)
    event = consent.set_member_consent(
        member, given=payload.given, note=payload.note, actor=actor_of(request), by=request.membership
    )
    if event is None:
        return Status(200, member_consents(request, member_id))
    return Status(201, ConsentOut.of(event))


def _consent_member(request, member_id: int):
    from leadtracker.accounts.models import Membership

    member = Membership.objects.filter(organisation_id=request.org.pk, pk=member_id).first()
    if member is None:
        raise ActionError("no such member in this organisation", field="member_id", status_code=404)
    return member


@router.post("/follow-ups/{follow_up_id}/done", response=FollowUpOut)
def follow_up_done(request, follow_up_id: int, payload: DoneIn):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    return FollowUpOut.of(
        actions.complete_follow_up(
            fu, outcome=payload.outcome, actor=actor_of(request), by=request.membership
        )
    )


@router.patch(
    "/follow-ups/{follow_up_id}",
    response=FollowUpOut,
    summary="Change an open follow-up: when, kind, who, note, reminder (409 once done or cancelled)",
)
def update_follow_up(request, follow_up_id: int, payload: FollowUpPatch):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    fields = payload.model_dump(exclude_unset=True)
    if fields.get("kind") is not None:
        fields["kind"] = FollowUpKind(fields["kind"]).value
    fu = actions.update_follow_up(fu, actor=actor_of(request), by=request.membership, **fields)
    return FollowUpOut.of(selectors.get_follow_up(request.membership, fu.pk))


@router.post(
    "/follow-ups/{follow_up_id}/cancel",
    response=FollowUpOut,
    summary="Call off a follow-up that will not happen (kept, marked cancelled with who and when)",
)
def cancel_follow_up(request, follow_up_id: int, payload: CancelIn):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    return FollowUpOut.of(
        actions.cancel_follow_up(fu, reason=payload.reason, actor=actor_of(request), by=request.membership)
    )


@router.get("/agenda", response=AgendaOut, summary="The caller's follow-ups: overdue, today, next 7 days")
def agenda(request):
    items = selectors.agenda(request.membership, request.org.tzinfo)
    return AgendaOut(**{k: [FollowUpOut.of(f) for f in v] for k, v in items.items()})


# --- pipeline, sources, rules ----------------------------------------------------------


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
        raise ActionError("no such status in this organisation", field="statuses", status_code=404)
    return actions.save_statuses(
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
    return Status(201, actions.create_source(request.org, payload.name, actor=actor_of(request)))


@router.post(
    "/sources/{source_id}/capture-key",
    response=SourceOut,
    tags=["settings"],
    summary="Turn on web capture for this source, or rotate its key",
)
def rotate_capture_key(request, source_id: int):
    source = _source(request, source_id)
    require_role(request, Role.ADMIN)
    return actions.rotate_capture_key(source, actor=actor_of(request))


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
    rule = actions.save_assignment_rule(
        request.org,
        name=payload.name,
        agent_ids=payload.agent_ids,
        source=_source(request, payload.source_id),
        is_active=payload.is_active,
        only_on_shift=payload.only_on_shift,
        actor=actor_of(request),
    )
    return Status(201, _rule_out(rule))


@router.put("/assignment-rules/{rule_id}", response=RuleOut, tags=["settings"])
def update_rule(request, rule_id: int, payload: RuleIn):
    rule = get_object_or_404(AssignmentRule, organisation_id=request.org.pk, pk=rule_id)
    require_role(request, Role.ADMIN)
    rule = actions.save_assignment_rule(
        request.org,
        name=payload.name,
        agent_ids=payload.agent_ids,
        source=_source(request, payload.source_id),
        is_active=payload.is_active,
        only_on_shift=payload.only_on_shift,
        rule=rule,
        actor=actor_of(request),
    )
    return _rule_out(rule)


@router.delete("/assignment-rules/{rule_id}", response={204: None}, tags=["settings"])
def delete_rule(request, rule_id: int):
    rule = get_object_or_404(AssignmentRule, organisation_id=request.org.pk, pk=rule_id)
    require_role(request, Role.ADMIN)
    actions.delete_assignment_rule(rule, actor=actor_of(request))
    return Status(204, None)


# --- webhooks --------------------------------------------------------------------------


@router.get("/webhooks", response=list[WebhookOut], tags=["settings"])
def list_webhooks(request):
    require_role(request, Role.ADMIN)
    return list(WebhookEndpoint.objects.filter(organisation_id=request.org.pk).order_by("id"))


@router.post("/webhooks", response={201: WebhookCreated}, tags=["settings"])
def create_webhook(request, payload: WebhookIn):
    require_role(request, Role.ADMIN)
    hook = actions.save_webhook(
        request.org,
        url=payload.url,
        events=payload.events,
        is_active=payload.is_active,
        actor=actor_of(request),
    )
    return Status(201, WebhookCreated.of(hook))


@router.delete("/webhooks/{webhook_id}", response={204: None}, tags=["settings"])
def delete_webhook(request, webhook_id: int):
    hook = get_object_or_404(WebhookEndpoint, organisation_id=request.org.pk, pk=webhook_id)
    require_role(request, Role.ADMIN)
    actions.delete_webhook(hook, actor=actor_of(request))
    return Status(204, None)


@router.post(
    "/webhooks/{webhook_id}/secret",
    response=WebhookCreated,
    tags=["settings"],
    summary="Replace the signing secret (the old one stops at once); the new one is shown once",
)
def rotate_webhook_secret(request, webhook_id: int):
    hook = get_object_or_404(WebhookEndpoint, organisation_id=request.org.pk, pk=webhook_id)
    require_role(request, Role.ADMIN)
    return WebhookCreated.of(actions.rotate_webhook_secret(hook, actor=actor_of(request)))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=list[DeliveryOut],
    tags=["settings"],
    summary="The delivery log, newest first",
)
def webhook_deliveries(request, webhook_id: int, cursor: int | None = None, limit: int = 50):
    hook = get_object_or_404(WebhookEndpoint, organisation_id=request.org.pk, pk=webhook_id)
    require_role(request, Role.ADMIN)
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
        actions.save_message_template(
            request.org, name=payload.name, body=payload.body, actor=actor_of(request)
        ),
    )


@router.put("/message-templates/{template_id}", response=TemplateOut, tags=["settings"])
def update_message_template(request, template_id: int, payload: TemplateIn):
    template = get_object_or_404(MessageTemplate, organisation_id=request.org.pk, pk=template_id)
    require_role(request, Role.ADMIN)
    return actions.save_message_template(
        request.org, name=payload.name, body=payload.body, template=template, actor=actor_of(request)
    )


@router.delete("/message-templates/{template_id}", response={204: None}, tags=["settings"])
def delete_message_template(request, template_id: int):
    template = get_object_or_404(MessageTemplate, organisation_id=request.org.pk, pk=template_id)
    require_role(request, Role.ADMIN)
    actions.delete_message_template(template, actor=actor_of(request))
    return Status(204, None)


@router.get("/tags", response=list[TagOut], tags=["settings"])
def list_tags(request):
    return list(selectors.tags(request.org.pk))


@router.post("/tags", response={201: TagOut}, tags=["settings"])
def create_tag(request, payload: TagIn):
    require_role(request, Role.ADMIN)
    return Status(201, actions.create_tag(request.org, payload.name, actor=actor_of(request)))


@router.patch("/tags/{tag_id}", response=TagOut, tags=["settings"], summary="Rename a tag on every lead")
def rename_tag(request, tag_id: int, payload: TagIn):
    tag = get_object_or_404(Tag, organisation_id=request.org.pk, pk=tag_id)
    require_role(request, Role.ADMIN)
    return actions.rename_tag(tag, payload.name, actor=actor_of(request))


@router.delete(
    "/tags/{tag_id}", response={204: None}, tags=["settings"], summary="Remove a tag from every lead"
)
def delete_tag(request, tag_id: int):
    tag = get_object_or_404(Tag, organisation_id=request.org.pk, pk=tag_id)
    require_role(request, Role.ADMIN)
    actions.delete_tag(tag, actor=actor_of(request))
    return Status(204, None)


# --- imports ---------------------------------------------------------------------------


def _job(request, import_id: int) -> ImportJob:
    return get_object_or_404(ImportJob, organisation_id=request.org.pk, pk=import_id)


@router.post(
    "/imports",
    response={201: ImportOut},
    tags=["import"],
    summary="Upload a CSV or XLSX file; returns the detected columns and mapping",
)
def upload_import(request, file: File[UploadedFile]):
    by = require_role(request, Role.MANAGER)
    from leadtracker.leads.imports.jobs import store_upload

    return Status(201, ImportOut.of(store_upload(request.org, file, by=by)))


@router.get("/imports/{import_id}", response=ImportOut, tags=["import"])
def get_import(request, import_id: int):
    job = _job(request, import_id)
    require_role(request, Role.MANAGER)
    return ImportOut.of(job)


@router.post(
    "/imports/{import_id}/start",
    response=ImportOut,
    tags=["import"],
    summary="Confirm the mapping and options; the worker imports the file",
)
def start_import(request, import_id: int, payload: ImportStart):
    job = _job(request, import_id)
    by = require_role(request, Role.MANAGER)
    from leadtracker.leads.imports.jobs import start_job

    return ImportOut.of(
        start_job(
            job,
            mapping=payload.mapping,
            on_duplicate=payload.on_duplicate,
            owner_id=payload.owner_id,
            source=payload.source,
            by=by,
            value_mapping=payload.value_mapping.model_dump() if payload.value_mapping else None,
        )
    )


@router.get(
    "/imports/{import_id}/values",
    response=ImportValuesOut,
    tags=["import"],
    summary="Each value of the status and owner columns and what it will become",
)
def import_values(request, import_id: int):
    job = _job(request, import_id)
    by = require_role(request, Role.MANAGER)
    from leadtracker.leads.imports.jobs import value_choices

    return value_choices(job, by)


@router.get(
    "/imports/{import_id}/errors", tags=["import"], summary="The rows that failed, with reasons (CSV)"
)
def import_errors(request, import_id: int):
    job = _job(request, import_id)
    require_role(request, Role.MANAGER)
    from leadtracker.leads.export import error_report_response
    from leadtracker.leads.imports.report import error_report

    content = error_report(job)
    if content is None:
        raise HttpError(
            409, f"the import is {job.get_state_display().lower()}; the report comes when it ends"
        )
    return error_report_response(request, job, content)


@router.delete(
    "/sources/{source_id}/capture-key",
    response=SourceOut,
    tags=["settings"],
    summary="Turn web capture off for this source (its key stops working at once)",
)
def disable_capture(request, source_id: int):
    source = _source(request, source_id)
    require_role(request, Role.ADMIN)
    return actions.disable_capture(source, actor=actor_of(request))
