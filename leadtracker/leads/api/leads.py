"""/api/v1/leads: leads, their timeline, notes and follow-ups, bulk changes, duplicates, export, merge."""

import datetime as dt
import json

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.responses import NinjaJSONEncoder

from leadtracker.accounts.models import Role
from leadtracker.leads import access, consent, list_sql, masking, page_reads, selectors
from leadtracker.leads.actions import assignment as assignment_actions
from leadtracker.leads.actions import follow_ups as follow_up_actions
from leadtracker.leads.actions import leads as lead_actions
from leadtracker.leads.actions import merge as merge_actions
from leadtracker.leads.actions import tags as tag_actions
from leadtracker.leads.actions.permissions import check_owner
from leadtracker.leads.api.lookups import actor_of, lead_of, source_of, status_of
from leadtracker.leads.api.schemas import (
    ActivityOut,
    AssignIn,
    BulkIn,
    BulkOut,
    DuplicatePair,
    FollowUpIn,
    FollowUpOut,
    LeadFilters,
    LeadIn,
    LeadOut,
    LeadPage,
    LeadPatch,
    MergeIn,
    NoteIn,
    PhonesIn,
    StatusIn,
    TagsIn,
    with_related,
)
from leadtracker.leads.export import export_response
from leadtracker.leads.fields import filters as custom_filters
from leadtracker.leads.fields import selectors as field_selectors
from leadtracker.leads.list_sql import LIST_FIELDS, LIST_RELATED
from leadtracker.leads.models import Lead
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_sorted
from leadtracker.lib.router import Router
from leadtracker.lib.schema import require_role

router = Router(ids_of="leadtracker.leads.api", tags=["leads"])


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
    if filters.field:
        fields = field_selectors.fields_for(viewer)
        qs = custom_filters.apply(qs, filters.field, fields, request.org.phone_region)
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


@router.get("/leads", response=LeadPage, summary="Leads the caller may see, filtered, sorted, keyset-paged")
def list_leads(request, filters: Query[LeadFilters], cursor: str | None = None, limit: int = 50):
    name = filters.sort.lstrip("-")
    field = SORT_FIELDS.get(name)
    if field and list_sql.covers(filters, field):  # the common shapes: SQL written once each
        found = list_sql.page(
            request.membership,
            filters,
            field=field,
            descending=filters.sort.startswith("-"),
            cursor=cursor,
            limit=limit,
            parse=_parse_sort_value(field),
        )
        if found is not None:
            access.number_searched(request, filters.q, via="api", cursor=cursor)
            return _page_response(*found, request.org.pk, viewer=request.membership)
    qs, columns, parse = filtered(request, filters), LIST_FIELDS, None
    if name.startswith("fields."):  # a custom field: its JSON value, compared as JSON
        fields = field_selectors.fields_for(request.membership)
        qs = custom_filters.sorted_by(qs, name.removeprefix("fields."), fields)
        field, columns, parse = (
            custom_filters.SORT_NAME,
            (*LIST_FIELDS, custom_filters.SORT_NAME),
            lambda v: v,
        )
    else:
        field = SORT_FIELDS[name]
    rows, next_cursor = keyset_sorted(
        qs.values(*columns, **LIST_RELATED),
        field=field,
        descending=filters.sort.startswith("-"),
        cursor=cursor,
        limit=limit,
        parse=parse or _parse_sort_value(field),
    )
    access.number_searched(request, filters.q, via="api", cursor=cursor)
    return _page_response(rows, next_cursor, request.org.pk, viewer=request.membership)


def _page_response(rows: list[dict], next_cursor: str | None, org_id: int, viewer=None) -> HttpResponse:
    ids = [r["id"] for r in rows]
    phones: dict[int, list[str]] = {}
    tags: dict[int, list[str]] = {}
    for is_tag, lead_id, text in selectors.numbers_and_tags(ids):
        (tags if is_tag else phones).setdefault(lead_id, []).append(text)
    link = consent.link_maker()
    items = [_item(r, phones.get(r["id"], []), tags.get(r["id"], []), link(org_id, r["id"])) for r in rows]
    masking.mask_lead_items(viewer, items)
    field_selectors.strip_hidden(viewer, items)
    body = json.dumps({"items": items, "next_cursor": next_cursor}, cls=NinjaJSONEncoder)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _item(r: dict, phones: list[str], tags: list[str], unsubscribe_url: str) -> dict:
    """A lead as LeadOut writes it, from its row (LIST_FIELDS and LIST_RELATED)."""
    return {
        "id": r["id"],
        "name": r["name"],
        "company": r["company"],
        "email": r["email"],
        "phone": r["phone"],
        "phones": phones,
        "city": r["city"],
        "address": r["address"],
        "source": r["source_name"],
        "source_id": r["source_id"],
        "status": r["status_name"],
        "status_id": r["status_id"],
        "status_kind": r["status_kind"],
        "owner_id": r["owner_id"],
        "value": r["value"],
        "tags": tags,
        "created_at": r["created_at"],
        "updated_at": r["updated_at"],
        "last_contacted_at": r["last_contacted_at"],
        "next_follow_up_at": r["next_follow_up_at"],
        "do_not_call": r["do_not_call"],
        "marketing_consent": r["marketing_consent"],
        "lost_reason": r["lost_reason"],
        "extra": r["extra"],
        "fields": r["custom_fields"],
        "unsubscribe_url": unsubscribe_url,
    }


@router.post("/leads", response={201: LeadOut}, summary="Create a lead (409 if its number or e-mail exists)")
def create_lead(
    request, payload: LeadIn, on_duplicate: str = Query("error", pattern="^(error|skip|update|create)$")
):
    data = lead_actions.LeadData(
        name=payload.name,
        company=payload.company,
        email=payload.email,
        phones=payload.phones,
        city=payload.city,
        address=payload.address,
        source=source_of(request, payload.source_id),
        status=status_of(request, payload.status_id) if payload.status_id else None,
        owner_id=payload.owner_id,
        value=payload.value,
        tags=payload.tags,
        do_not_call=payload.do_not_call,
        marketing_consent=payload.marketing_consent,
        consent_method="api",
        custom_fields=payload.fields,
        fields_by=request.membership,
    )
    try:
        lead, outcome = lead_actions.create_lead(
            request.org, data, actor=actor_of(request), by=request.membership, on_duplicate=on_duplicate
        )
    except lead_actions.DuplicateLead as exc:
        visible = selectors.leads_for(request.membership).filter(pk=exc.existing.pk).exists()
        detail = exc.message if visible else _("a lead with this %s exists") % exc.matched_on
        raise ActionError(detail, field=exc.field, status_code=409) from None
    if payload.note:
        lead_actions.add_note(lead, payload.note, actor=actor_of(request), by=None)
    # A lead made here holds what was written (its numbers and tags too): no read back. A
    # duplicate that was skipped or filled in is read again.
    made = lead if outcome == "created" else with_related(Lead.objects.filter(pk=lead.pk)).get()
    out = LeadOut.of(made)
    return Status(201, field_selectors.strip_hidden(request.membership, [out])[0])


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
            _("some of these leads do not exist or are not yours to change"), field="ids", status_code=404
        )
    actor = actor_of(request)
    # Every id a request names is checked, used by this action or not.
    status = status_of(request, payload.status_id) if payload.status_id is not None else None
    if payload.owner_id is not None:
        check_owner(by, payload.owner_id, request.org.pk, field="owner_id")
    if payload.action == "assign":
        return BulkOut(changed=assignment_actions.bulk_assign(leads, payload.owner_id, actor=actor, by=by))
    if payload.action == "status":
        if payload.status_id is None:
            raise ActionError(_("choose a status"), field="status_id")
        return BulkOut(changed=lead_actions.bulk_change_status(leads, status, actor=actor, by=by))
    if payload.action == "fields":
        if not payload.fields:
            raise ActionError(_("give one or more custom fields"), field="fields")
        with transaction.atomic():  # every lead or none: a bad value names its field once
            changed = 0
            for lead in leads.select_related("organisation"):
                before = lead.custom_fields
                lead_actions.update_lead(lead, actor=actor, by=by, custom_fields=payload.fields)
                changed += lead.custom_fields != before
        return BulkOut(changed=changed)
    if payload.action == "tag":
        if not payload.tags:
            raise ActionError(_("give one or more tags"), field="tags")
        return BulkOut(
            changed=sum(bool(tag_actions.add_tags(lead, payload.tags, actor=actor)) for lead in leads)
        )
    return BulkOut(changed=lead_actions.delete_leads(leads, actor=actor, by=by))


@router.get("/leads/{lead_id}", response=LeadOut)
def get_lead(request, lead_id: int):
    # The lead if the caller may see it (else 404, as lead_of), then its numbers and tags in one.
    lead = selectors.visible_lead(request.membership, lead_id)
    phones, tags = [], []
    for is_tag, _lead_id, text in selectors.numbers_and_tags([lead.pk]):
        (tags if is_tag else phones).append(text)
    hidden = field_selectors.hidden_keys(request.membership)  # read before the audit is sent
    # The writes answer through this too; they are audited as writes. The access event is sent
    # before the answer is written and awaited before it is given (accounts/audit.access_sent).
    settled = access.lead_viewed(request, lead_id, via="api") if request.method == "GET" else None
    row = {name: getattr(lead, name) for name in LIST_FIELDS}
    row.update(
        source_name=lead.source.name if lead.source_id else None,
        status_name=lead.status.name,
        status_kind=lead.status.kind,
    )
    item = _item(row, phones, tags, consent.unsubscribe_url(lead))
    item["fields"] = field_selectors.readable(item["fields"], hidden)
    masking.mask_lead_items(request.membership, [item])
    body = json.dumps(item, cls=NinjaJSONEncoder)
    if settled is not None:
        settled()
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.patch("/leads/{lead_id}", response=LeadOut)
def patch_lead(request, lead_id: int, payload: LeadPatch):
    lead = lead_of(request, lead_id)
    fields = payload.model_dump(exclude_unset=True)
    if "source_id" in fields:
        fields["source"] = source_of(request, fields.pop("source_id"))
    if "fields" in fields:
        fields["custom_fields"] = fields.pop("fields") or {}
    lead_actions.update_lead(
        lead, actor=actor_of(request), by=request.membership, consent_method="api", **fields
    )
    return get_lead(request, lead_id)


@router.delete(
    "/leads/{lead_id}",
    response={204: None},
    summary="Move a lead to the trash (GET /leads/trash; restorable for 30 days, then purged)",
)
def delete_lead(request, lead_id: int):
    lead = lead_of(request, lead_id)
    lead_actions.delete_leads(Lead.objects.filter(pk=lead.pk), actor=actor_of(request), by=request.membership)
    return Status(204, None)


@router.post("/leads/{lead_id}/status", response=LeadOut)
def change_status(request, lead_id: int, payload: StatusIn):
    lead = lead_of(request, lead_id)
    lead_actions.change_status(
        lead,
        status_of(request, payload.status_id),
        actor=actor_of(request),
        by=request.membership,
        lost_reason=payload.lost_reason,
    )
    return get_lead(request, lead_id)


@router.post("/leads/{lead_id}/assign", response=LeadOut)
def assign(request, lead_id: int, payload: AssignIn):
    lead = lead_of(request, lead_id)
    assignment_actions.assign_lead(lead, payload.owner_id, actor=actor_of(request), by=request.membership)
    return get_lead(request, lead_id)


@router.put("/leads/{lead_id}/phones", response=LeadOut)
def set_phones(request, lead_id: int, payload: PhonesIn):
    lead = lead_of(request, lead_id)
    try:
        lead_actions.set_phones(lead, payload.phones, actor=actor_of(request), by=request.membership)
    except lead_actions.DuplicateLead:
        raise ActionError(_("another lead has this number"), field="phones", status_code=409) from None
    return get_lead(request, lead_id)


@router.put("/leads/{lead_id}/tags", response=LeadOut)
def set_tags(request, lead_id: int, payload: TagsIn):
    lead = lead_of(request, lead_id)
    tag_actions.set_tags(lead, payload.tags, actor=actor_of(request), by=request.membership)
    return get_lead(request, lead_id)


@router.get("/leads/{lead_id}/timeline", response=list[ActivityOut], summary="Newest first")
def timeline(request, lead_id: int):
    lead = lead_of(request, lead_id)
    settled = access.lead_viewed(request, lead.pk, via="api", part="timeline")
    entries = page_reads.timeline(lead)  # (its read waits for the audit's commit first)
    settled()
    return entries


@router.post("/leads/{lead_id}/notes", response={201: ActivityOut})
def add_note(request, lead_id: int, payload: NoteIn):
    note = lead_actions.add_note(
        lead_of(request, lead_id), payload.body, actor=actor_of(request), by=request.membership
    )
    return Status(201, note)


@router.get("/leads/{lead_id}/follow-ups", response=list[FollowUpOut])
def lead_follow_ups(request, lead_id: int):
    lead = lead_of(request, lead_id)
    return [FollowUpOut.of(f) for f in lead.follow_ups.select_related("lead").order_by("-due_at")[:200]]


@router.post("/leads/{lead_id}/follow-ups", response={201: FollowUpOut})
def add_follow_up(request, lead_id: int, payload: FollowUpIn):
    fu = follow_up_actions.schedule_follow_up(
        lead_of(request, lead_id),
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
    primary = lead_of(request, lead_id)
    duplicate = get_object_or_404(selectors.leads_for(request.membership), pk=payload.duplicate_id)
    merge_actions.merge_leads(primary, duplicate, actor=actor_of(request), by=request.membership)
    return get_lead(request, lead_id)
