"""The bodies the leads API reads and the answers it gives."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from leadtracker.leads.consent import unsubscribe_url
from leadtracker.leads.fields import filters as custom_filters
from leadtracker.leads.models import FollowUp, FollowUpKind, ImportJob, Lead, WebhookEndpoint
from leadtracker.lib.schema import Amount, Choice, Moment, Strict
from leadtracker.lib.stored_text import shown

# A custom field's value as JSON sends it; its field's type checks it (leads/fields/values.py).
CustomValue = str | int | float | bool | list[str] | None


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
    fields: dict = Field(
        default_factory=dict,
        description="custom fields, {key: value} (GET /fields); hidden ones left out for agents",
    )
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
            fields=lead.custom_fields,
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
    fields: dict[str, CustomValue] = Field(
        default_factory=dict,
        description="custom fields, {key: value}: each checked as its type (422 names fields.<key>)",
    )


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
    fields: dict[str, CustomValue] | None = Field(
        None,
        description="custom fields to set, {key: value}; null or empty clears one; keys not given stay",
    )


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
    sort: str = Field(
        "next_follow_up",
        pattern=r"^-?(next_follow_up|created|updated|name|fields\.[a-z][a-z0-9_]{0,39})$",
        description="fields.<key> sorts by a custom field (leads without a value last)",
    )
    field: list[str] = Field(default_factory=list, description=custom_filters.HELP)


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
    action: str = Field(..., pattern="^(assign|status|tag|delete|fields)$")
    owner_id: int | None = None
    status_id: int | None = None
    tags: list[str] = Field(default_factory=list, max_length=50)
    fields: dict[str, CustomValue] = Field(
        default_factory=dict,
        description="for action fields: custom values to set on every lead (empty clears)",
    )


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
    # Its chip's colour, a name of leads/colours.PALETTE (for a client's own charts and chips).
    colour: str

    @staticmethod
    def resolve_colour(obj) -> str:
        return obj.chip


class PipelineIn(Strict):
    statuses: list[StatusRow] = Field(..., min_length=1, max_length=30)


class SourceIn(Strict):
    name: str = Field(..., min_length=1, max_length=80)


class SourceOut(Schema):
    id: int
    name: str
    capture_key: str
    colour: str

    @staticmethod
    def resolve_colour(obj) -> str:
        return obj.chip


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
    fields: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="a choice field's key → {a value in the file → one of its choices}",
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
            # In the caller's language where the import kept what each said (imports/report.py).
            issues=[
                {
                    **i,
                    "reason": shown(i.get("reason_said"), i["reason"]),
                    "column": shown(i.get("column_said"), i["column"]),
                }
                for i in job.first_issues
            ],
            has_error_report=bool(job.error_report_path),
            failure=job.failure,
        )


class ImportStart(Strict):
    mapping: dict[str, str] | None = None
    on_duplicate: str = Field("skip", pattern="^(skip|update|create)$")
    owner_id: int | None = None
    source: str = Field("", max_length=80)
    value_mapping: ImportValueMapping | None = None


def with_related(qs):
    return qs.select_related("status", "source").prefetch_related("phones", "tags")
