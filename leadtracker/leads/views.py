"""Web pages for leads: the list, the board, a lead, new lead, import, duplicates, settings."""

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.leads import access, masking, selectors
from leadtracker.leads import confirm as lead_confirm
from leadtracker.leads.actions.assignment import (
    assign_lead,
    bulk_assign,
    delete_assignment_rule,
    save_assignment_rule,
)
from leadtracker.leads.actions.follow_ups import (
    cancel_follow_up,
    complete_follow_up,
    schedule_follow_up,
    update_follow_up,
)
from leadtracker.leads.actions.leads import (
    DuplicateLead,
    LeadData,
    add_note,
    bulk_change_status,
    change_status,
    create_lead,
    delete_leads,
    set_phones,
    update_lead,
)
from leadtracker.leads.actions.merge import merge_leads
from leadtracker.leads.actions.settings import (
    create_source,
    delete_message_template,
    delete_webhook,
    disable_capture,
    render_template,
    rotate_capture_key,
    rotate_webhook_secret,
    save_message_template,
    save_statuses,
    save_webhook,
)
from leadtracker.leads.actions.tags import add_tags, create_tag, delete_tag, rename_tag, set_tags
from leadtracker.leads.forms import (
    CancelForm,
    DoneForm,
    FollowUpEditForm,
    FollowUpForm,
    LeadEditForm,
    LeadForm,
    NoteForm,
    UploadForm,
)
from leadtracker.leads.imports import jobs
from leadtracker.leads.imports.mapping import FIELDS
from leadtracker.leads.imports.report import error_report
from leadtracker.leads.models import (
    AssignmentRule,
    FollowUp,
    FollowUpKind,
    ImportJob,
    LeadSource,
    LeadStatus,
    MessageTemplate,
    Tag,
    WebhookEndpoint,
)
from leadtracker.lib import confirm
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_sorted
from leadtracker.lib.timeutil import ANY_FUTURE, ANY_PAST, is_within
from leadtracker.lib.web import merge_context, safe_back

PAGE = 50
SORTS = {
    "next_follow_up": ("next_follow_up_at", "Next follow-up"),
    "-created": ("created_at", "Newest"),
    "-updated": ("updated_at", "Recently changed"),
    "name": ("name", "Name"),
}


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date(value):
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    # A day the list cannot look for (year 1, 9999) is left out like one that is no day at all.
    return day if is_within(day, past=ANY_PAST, future=ANY_FUTURE) else None


def _filters(request):
    g = request.GET
    return {
        "status": _int(g.get("status")),
        "owner": _int(g.get("owner")),
        "team": _int(g.get("team")),
        "source": _int(g.get("source")),
        "tag": _int(g.get("tag")),
        "follow_up": g.get("follow_up") if g.get("follow_up") in ("overdue", "today") else None,
        "created_from": _date(g.get("created_from")),
        "created_to": _date(g.get("created_to")),
        "unassigned": g.get("unassigned") == "1",
    }


def _filtered(request):
    viewer = request.membership
    qs = selectors.filter_leads(
        selectors.leads_for(viewer), viewer, tz=request.org.tzinfo, **_filters(request)
    )
    return selectors.search(qs, request.GET.get("q", ""), request.org.pk, request.org.phone_region)


def _choices(request):
    """What the organisation offers to choose from: every status, source, tag, the members the
    viewer may give a lead to, and the teams. Named *_choices so that they never share a name
    with what one lead has (its tags, its status, its owner) in a page's context."""
    org_id = request.org.pk
    viewer = request.membership
    return {
        "status_choices": list(selectors.statuses(org_id)),
        "source_choices": list(selectors.sources(org_id)),
        "tag_choices": list(selectors.tags(org_id)),
        "owner_choices": list(selectors.assignable_members(viewer)) if viewer.role != Role.AGENT else [],
        "team_choices": [m for m in selectors.assignable_members(viewer) if m.role != Role.AGENT]
        if viewer.role != Role.AGENT
        else [],
    }


@member_required()
def lead_list(request):
    sort = request.GET.get("sort", "next_follow_up")
    field, _label = SORTS.get(sort, SORTS["next_follow_up"])
    descending = sort.startswith("-")
    parse = (lambda v: v) if field == "name" else dt.datetime.fromisoformat
    qs = _filtered(request).select_related("status", "source", "owner")
    try:
        rows, next_cursor = keyset_sorted(
            qs, field=field, descending=descending, cursor=request.GET.get("cursor"), limit=PAGE, parse=parse
        )
    except ActionError:  # a cursor that was not ours: start at the top
        query = request.GET.copy()
        query.pop("cursor", None)
        return redirect(f"{request.path}?{query.urlencode()}")
    access.number_searched(request, request.GET.get("q", ""), via="web", cursor=request.GET.get("cursor"))
    query = request.GET.copy()
    query.pop("cursor", None)
    context = merge_context(
        {
            "leads": masking.mark_leads(request.membership, rows),
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            "sort": sort,
            "sorts": SORTS,
            "q": request.GET.get("q", ""),
            "f": _filters(request),
            "now": timezone.now(),
        },
        _choices(request),
    )
    if request.headers.get("HX-Request") and request.GET.get("cursor"):
        return render(request, "leads/_rows.html", context)
    for name, label in (("created_from", "Created from"), ("created_to", "Created to")):
        if request.GET.get(name) and context["f"][name] is None:
            messages.error(request, f"{label}: not a day within 50 years of today (YYYY-MM-DD); left out.")
    return render(request, "leads/list.html", context)


@require_POST
@member_required(Role.MANAGER)
def bulk(request):
    viewer = request.membership
    ids = [i for i in (_int(x) for x in request.POST.getlist("ids")) if i]
    leads = selectors.leads_for(viewer).filter(pk__in=ids)
    action = request.POST.get("action")
    actor = Actor.from_request(request)
    question = (lambda: lead_confirm.bulk_delete(request, leads)) if action == "delete" and ids else None
    if (answer := confirm.gate(request, question)) is not None:
        return answer
    try:
        if not ids:
            raise ActionError("tick one or more leads first", field="ids")
        if action == "assign":
            n = bulk_assign(leads, _int(request.POST.get("owner")), actor=actor, by=viewer)
        elif action == "status":
            status = get_object_or_404(
                LeadStatus, organisation=request.org, pk=_int(request.POST.get("status"))
            )
            n = bulk_change_status(leads, status, actor=actor, by=viewer)
        elif action == "tag":
            tags = [t for t in request.POST.get("tags", "").split(",") if t.strip()]
            if not tags:
                raise ActionError("type one or more tags", field="tags")
            n = sum(bool(add_tags(lead, tags, actor=actor)) for lead in leads)
        elif action == "delete":
            n = delete_leads(leads, actor=actor, by=viewer)
        else:
            raise ActionError("choose what to do", field="action")
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{n} lead{'s' if n != 1 else ''} changed.")
    return redirect(safe_back(request, reverse("lead_list")))


def _lead_data(request, data) -> LeadData:
    source = (
        LeadSource.objects.filter(organisation=request.org, pk=data.get("source")).first()
        if data.get("source")
        else None
    )
    return LeadData(
        name=data["name"],
        company=data["company"],
        email=data["email"],
        phones=[p for p in data["phones"].split(",") if p.strip()],
        city=data["city"],
        address=data["address"],
        source=source,
        owner_id=data.get("owner"),
        value=data["value"],
        tags=[t for t in data["tags"].split(",") if t.strip()],
        do_not_call=data["do_not_call"],
        marketing_consent=data["marketing_consent"],
    )


@member_required()
def lead_new(request):
    choices = _choices(request)
    form = LeadForm(request.POST or None, sources=choices["source_choices"], owners=choices["owner_choices"])
    if request.method == "POST" and form.is_valid():
        try:
            lead, _ = create_lead(
                request.org,
                _lead_data(request, form.cleaned_data),
                actor=Actor.from_request(request),
                by=request.membership,
            )
            if form.cleaned_data["note"]:
                add_note(lead, form.cleaned_data["note"], actor=Actor.from_request(request), by=None)
        except DuplicateLead as exc:
            if selectors.leads_for(request.membership).filter(pk=exc.existing.pk).exists():
                link = reverse("lead_detail", args=[exc.existing.pk])
                form.add_error(
                    None, f"This {exc.matched_on} belongs to an existing lead: {exc.existing} ({link})"
                )
            else:
                form.add_error(None, f"A lead with this {exc.matched_on} exists; ask your manager.")
        except ActionError as exc:
            field = "phones" if exc.field.startswith("phone") else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Lead “{lead}” created.")
            return redirect("lead_detail", lead_id=lead.pk)
    return render(request, "leads/new.html", {"form": form})


def _links(lead, request):
    """tel:, and per message template a WhatsApp and an sms: link with the text filled in —
    the person sends it from their own phone; the server never sends anything."""
    if not lead.phone:
        return {}
    digits = lead.phone.lstrip("+")
    messages_out = []
    for template in MessageTemplate.objects.filter(organisation=request.org):
        text = render_template(
            template.body,
            lead=lead,
            agent_name=request.user.get_short_name(),
            organisation_name=request.org.name,
        )
        messages_out.append(
            {
                "name": template.name,
                "text": text,
                "whatsapp": f"https://wa.me/{digits}?text={quote(text)}",
                "sms": f"sms:{lead.phone}?body={quote(text)}",
            }
        )
    return {
        "tel": f"tel:{lead.phone}",
        "whatsapp": f"https://wa.me/{digits}",
        "sms": f"sms:{lead.phone}",
        "messages": messages_out,
    }


@member_required()
def lead_detail(request, lead_id):
    lead = selectors.get_lead(request.membership, lead_id)
    access.lead_viewed(request, lead.pk, via="web")
    choices = _choices(request)
    masked = masking.hides(request.membership, lead.owner_id)
    context = merge_context(
        {
            "lead": lead,
            "phones": masking.mark_phones(request.membership, lead, lead.phones.all()),
            "tags": list(lead.tags.all()),
            "timeline": selectors.timeline(lead),
            # No tel:, WhatsApp or SMS link carries a number the viewer may not see.
            "links": {} if masked else _links(lead, request),
            "open_follow_ups": list(
                FollowUp.objects.filter(lead=lead).open().select_related("assignee").order_by("due_at")
            ),
            "note_form": NoteForm(),
            "follow_up_form": FollowUpForm(),
            "done_form": DoneForm(),
            "follow_up_kinds": FollowUpKind.choices,
            "owner_ids": [m.user_id for m in choices["owner_choices"]],
        },
        choices,
    )
    return render(request, "leads/detail.html", context)


def _act(request, lead_id, fn, success):
    lead = selectors.get_lead(request.membership, lead_id)
    try:
        fn(lead, Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, f"{exc.field}: {exc.message}" if exc.field else exc.message)
    else:
        if success:
            messages.success(request, success)
    return redirect(safe_back(request, reverse("lead_detail", args=[lead.pk])))


@require_POST
@member_required()
def lead_note(request, lead_id):
    form = NoteForm(request.POST)
    body = form.data.get("body", "")
    return _act(
        request,
        lead_id,
        lambda lead, actor: add_note(lead, body, actor=actor, by=request.membership),
        "Note added.",
    )


@require_POST
@member_required()
def lead_status(request, lead_id):
    selectors.get_lead(request.membership, lead_id)  # 404 before anything else
    status = LeadStatus.objects.filter(organisation=request.org, pk=_int(request.POST.get("status"))).first()
    if status is None:
        messages.error(request, "status: choose one of the pipeline's statuses")
        return redirect("lead_detail", lead_id=lead_id)
    reason = request.POST.get("lost_reason", "")
    return _act(
        request,
        lead_id,
        lambda lead, actor: change_status(
            lead, status, actor=actor, by=request.membership, lost_reason=reason
        ),
        f"Moved to {status.name}.",
    )


@require_POST
@member_required(Role.MANAGER)
def lead_assign(request, lead_id):
    owner = _int(request.POST.get("owner"))
    return _act(
        request,
        lead_id,
        lambda lead, actor: assign_lead(lead, owner, actor=actor, by=request.membership),
        "Assigned.",
    )


@require_POST
@member_required()
def lead_follow_up(request, lead_id):
    selectors.get_lead(request.membership, lead_id)  # another organisation's lead: 404 first
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.items()))
        messages.error(request, f"{first[0]}: {first[1][0]}")
        return redirect("lead_detail", lead_id=lead_id)
    data = form.cleaned_data
    due = data["due_at"]
    if timezone.is_naive(due):
        due = due.replace(tzinfo=request.org.tzinfo)
    return _act(
        request,
        lead_id,
        lambda lead, actor: schedule_follow_up(
            lead,
            due_at=due,
            kind=data["kind"],
            note=data["note"],
            remind_minutes_before=data["remind_minutes_before"],
            actor=actor,
            by=request.membership,
        ),
        "Follow-up planned.",
    )


@require_POST
@member_required()
def follow_up_done(request, follow_up_id):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    outcome = request.POST.get("outcome", "")
    try:
        complete_follow_up(fu, outcome=outcome, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Follow-up done.")
    return redirect(safe_back(request, reverse("lead_detail", args=[fu.lead_id])))


@require_POST
@member_required()
def follow_up_edit(request, follow_up_id):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    back = redirect(safe_back(request, reverse("lead_detail", args=[fu.lead_id])))
    form = FollowUpEditForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{field}: {errors[0]}")
        return back
    data = form.cleaned_data
    due = data["due_at"]
    if timezone.is_naive(due):
        due = due.replace(tzinfo=request.org.tzinfo)
    fields = {
        "due_at": due,
        "kind": data["kind"],
        "note": data["note"],
        "remind_minutes_before": data["remind_minutes_before"],
    }
    if data["assignee"]:
        fields["assignee_id"] = data["assignee"]
    try:
        update_follow_up(fu, actor=Actor.from_request(request), by=request.membership, **fields)
    except ActionError as exc:
        messages.error(request, f"{exc.field}: {exc.message}" if exc.field else exc.message)
    else:
        messages.success(request, "Follow-up changed.")
    return back


@require_POST
@member_required()
def follow_up_cancel(request, follow_up_id):
    fu = selectors.get_follow_up(request.membership, follow_up_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cancel_follow_up(fu, reason=reason, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Follow-up cancelled.")
    return redirect(safe_back(request, reverse("lead_detail", args=[fu.lead_id])))


@member_required()
def lead_edit(request, lead_id):
    lead = selectors.get_lead(request.membership, lead_id)
    choices = _choices(request)
    initial = {
        "name": lead.name,
        "company": lead.company,
        "email": lead.email,
        "city": lead.city,
        "address": lead.address,
        "source": lead.source_id,
        "value": lead.value,
        "phones": ", ".join(p.raw or p.e164 for p in lead.phones.all()),
        "tags": ", ".join(t.name for t in lead.tags.all()),
        "do_not_call": lead.do_not_call,
        "marketing_consent": lead.marketing_consent,
        "lost_reason": lead.lost_reason,
    }
    form = LeadEditForm(request.POST or None, initial=initial, sources=choices["source_choices"])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = Actor.from_request(request)
        source = (
            LeadSource.objects.filter(organisation=request.org, pk=d["source"]).first()
            if d["source"]
            else None
        )
        try:
            from django.db import transaction

            with transaction.atomic():
                set_phones(
                    lead, [p for p in d["phones"].split(",") if p.strip()], actor=actor, by=request.membership
                )
                update_lead(
                    lead,
                    actor=actor,
                    by=request.membership,
                    name=d["name"],
                    company=d["company"],
                    email=d["email"],
                    city=d["city"],
                    address=d["address"],
                    source=source,
                    value=d["value"],
                    do_not_call=d["do_not_call"],
                    marketing_consent=d["marketing_consent"],
                    lost_reason=d["lost_reason"],
                )
                set_tags(lead, d["tags"].split(","), actor=actor, by=request.membership)
        except DuplicateLead:
            form.add_error("phones", "another lead has one of these numbers")
        except ActionError as exc:
            field = "phones" if exc.field.startswith("phone") else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, "Saved.")
            return redirect("lead_detail", lead_id=lead.pk)
    return render(request, "leads/edit.html", {"form": form, "lead": lead})


BOARD_PAGE = 50


def _board_cards(qs, status, cursor):
    """One page of a column's cards, next follow-up first, and the cursor of the next page."""
    return keyset_sorted(
        qs.filter(status=status),
        field="next_follow_up_at",
        descending=False,
        cursor=cursor,
        limit=BOARD_PAGE,
        parse=dt.datetime.fromisoformat,
    )


@member_required()
def board(request):
    """Every active status as a column: its count and total value over the whole column (one
    grouped query), and its first cards; "Show more" fetches a column's next page (htmx,
    ?column=&cursor=), so a long column pages within itself."""
    statuses = list(selectors.statuses(request.org.pk))
    qs = _filtered(request).select_related("owner")
    query = request.GET.copy()
    for key in ("column", "cursor"):
        query.pop(key, None)
    if "column" in request.GET:
        status = next((s for s in statuses if s.pk == _int(request.GET["column"])), None)
        if status is None:
            raise Http404("no such column")
        try:
            cards, next_cursor = _board_cards(qs, status, request.GET.get("cursor"))
        except ActionError:
            return HttpResponse("cursor: not a cursor this board gave out", status=400)
        column = {"status": status, "cards": cards, "next_cursor": next_cursor}
        return render(
            request,
            "leads/_board_cards.html",
            {"col": column, "statuses": statuses, "query": query.urlencode()},
        )
    totals = selectors.totals_by_status(qs)
    columns = []
    for status in statuses:
        count, total = totals.get(status.pk, (0, None))
        # An empty column needs no query for its cards.
        cards, next_cursor = _board_cards(qs, status, None) if count else ([], None)
        columns.append(
            {"status": status, "cards": cards, "next_cursor": next_cursor, "count": count, "total": total}
        )
    return render(
        request,
        "leads/board.html",
        {"columns": columns, "statuses": statuses, "q": request.GET.get("q", ""), "query": query.urlencode()},
    )


@require_POST
@member_required()
def board_move(request, lead_id):
    lead = selectors.get_lead(request.membership, lead_id)
    status = LeadStatus.objects.filter(organisation=request.org, pk=_int(request.POST.get("status"))).first()
    if status is None:
        messages.error(request, "status: choose one of the pipeline's statuses")
        return redirect(safe_back(request, reverse("board")))
    try:
        change_status(lead, status, actor=Actor.from_request(request), by=request.membership)
    except ActionError as exc:
        if request.headers.get("HX-Request") or request.headers.get("X-Requested-With"):
            return HttpResponse(exc.message, status=exc.status_code)
        messages.error(request, exc.message)
    if request.headers.get("X-Requested-With"):
        return HttpResponse(status=204)
    return redirect(safe_back(request, reverse("board")))


@member_required(Role.MANAGER)
def duplicates(request):
    pairs = selectors.duplicate_pairs(request.membership)
    ids = {p["lead_id"] for p in pairs} | {p["other_id"] for p in pairs}
    leads = {
        lead.pk: lead
        for lead in selectors.leads_for(request.membership)
        .filter(pk__in=ids)
        .select_related("status", "owner")
    }
    rows = [
        (leads[p["lead_id"]], leads[p["other_id"]], p["reason"])
        for p in pairs
        if p["lead_id"] in leads and p["other_id"] in leads
    ]
    return render(request, "leads/duplicates.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@member_required(Role.MANAGER)
def merge(request, lead_id):
    """GET (or a post without confirm=yes): the two leads side by side and what stays."""
    lead = selectors.get_lead(request.membership, lead_id)
    data = request.POST if request.method == "POST" else request.GET
    other = selectors.leads_for(request.membership).filter(pk=_int(data.get("duplicate"))).first()
    if other is None or other.pk == lead.pk:
        messages.error(request, "duplicate: no such lead" if other is None else "duplicate: the same lead")
        return redirect("lead_detail", lead_id=lead_id)
    if (answer := confirm.gate(request, lambda: lead_confirm.merge(request, lead, other))) is not None:
        return answer
    return _act(
        request,
        lead_id,
        lambda lead, actor: merge_leads(lead, other, actor=actor, by=request.membership),
        "Merged.",
    )


# --- import ----------------------------------------------------------------------------


@member_required(Role.MANAGER)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.store_upload(request.org, form.cleaned_data["file"], by=request.membership)
        except ActionError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("import_detail", import_id=job.pk)
    recent = ImportJob.objects.filter(organisation=request.org).order_by("-id")[:10]
    return render(request, "leads/import_upload.html", {"form": form, "recent": recent})


def _import_refusal(exc: ActionError) -> str:
    field = exc.field or ""
    kind, _, value = field.removeprefix("value_mapping.").partition(".")
    if field.startswith("value_mapping.") and value:
        return f"{kind.title()} “{value}”: {exc.message}"
    return exc.message


def _posted_value_mapping(data) -> dict:
    """The preview's choices for each value of the status and owner columns; a value left on
    "automatic" is not a choice, so it keeps its warning."""
    out = {"status": {}, "owner": {}, "unknown_owner": data.get("unknown_owner") or "rules"}
    for kind in ("status", "owner"):
        for i in range(min(_int(data.get(f"{kind}_values")) or 0, jobs.MAX_VALUES)):
            value, target = data.get(f"{kind}_value_{i}", ""), data.get(f"{kind}_to_{i}", "")
            if value and target:
                out[kind][value] = int(target) if target.isdigit() else target
    return out


def _import_page(request, job, *, mapping=None, status=200):
    preview = jobs.preview(job) if job.state == "uploaded" else []
    mapping = job.mapping if mapping is None else mapping
    columns = [
        {
            "index": i,
            "header": h,
            "field": mapping.get(str(i), ""),
            "samples": [row[i] if i < len(row) else "" for row in preview[:3]],
        }
        for i, h in enumerate(job.headers)
    ]
    values = jobs.value_choices(job, request.membership, mapping) if job.state == "uploaded" else None
    context = {
        "job": job,
        "columns": columns,
        "fields": FIELDS,
        "preview": preview,
        "values": values,
    }
    page = merge_context(context, _choices(request))
    return render(request, "leads/import_detail.html", page, status=status)


@member_required(Role.MANAGER)
def import_detail(request, import_id):
    job = get_object_or_404(ImportJob, organisation=request.org, pk=import_id)
    if request.method == "POST":
        mapping = {str(i): request.POST.get(f"col{i}", "") for i in range(len(job.headers))}
        try:
            jobs.start_job(
                job,
                mapping=mapping,
                on_duplicate=request.POST.get("on_duplicate", "skip"),
                owner_id=_int(request.POST.get("owner")),
                source=request.POST.get("source", ""),
                by=request.membership,
                value_mapping=_posted_value_mapping(request.POST),
            )
        except ActionError as exc:
            # Nothing was queued: the page comes back with the person's choices and the reason,
            # in the page's words (a value in the file, not the API's value_mapping.status.X).
            messages.error(request, _import_refusal(exc))
            return _import_page(request, job, mapping=mapping, status=422)
        return redirect("import_detail", import_id=job.pk)
    if request.headers.get("HX-Request") and job.state == "uploaded":
        # The column choices changed: what the status and owner columns' values will become.
        mapping = {str(i): request.GET.get(f"col{i}", "") for i in range(len(job.headers))}
        return render(
            request,
            "leads/_import_values.html",
            merge_context(
                {
                    "job": job,
                    "values": jobs.value_choices(job, request.membership, mapping),
                },
                _choices(request),
            ),
        )
    if request.headers.get("HX-Request"):
        return render(request, "leads/_import_progress.html", {"job": job})
    return _import_page(request, job)


@member_required(Role.MANAGER)
def import_errors(request, import_id):
    job = get_object_or_404(ImportJob, organisation=request.org, pk=import_id)
    content = error_report(job)
    if content is None:
        messages.info(request, "The report is ready when the import ends.")
        return redirect("import_detail", import_id=job.pk)
    from leadtracker.leads.export import error_report_response

    return error_report_response(request, job, content)


@member_required(Role.MANAGER)
def export(request):
    from leadtracker.leads.export import export_response

    fmt = request.GET.get("format", "csv")
    return export_response(request, _filtered(request), fmt if fmt in ("csv", "xlsx") else "csv")


# --- settings --------------------------------------------------------------------------


@member_required(Role.ADMIN)
def lead_settings(request):
    org = request.org
    actor = Actor.from_request(request)
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "pipeline":
                rows = []
                for i in range(int(request.POST.get("rows", "0"))):
                    name = request.POST.get(f"name{i}", "").strip()
                    if name:
                        rows.append(
                            {
                                "id": _int(request.POST.get(f"id{i}")),
                                "name": name,
                                "kind": request.POST.get(f"kind{i}", "open"),
                            }
                        )
                known = set(LeadStatus.objects.filter(organisation=org).values_list("pk", flat=True))
                for row in rows:
                    if row["id"] and row["id"] not in known:
                        raise Http404("no such status")
                moves = lead_confirm.status_moves(org, rows, request.POST) if rows else []
                if (answer := confirm.gate(request, lead_confirm.pipeline(request, moves, rows))) is not None:
                    return answer
                move_to = {m["status"].pk: m["to"].pk for m in moves if m["to"] is not None}
                save_statuses(org, rows, actor=actor, move_to=move_to)
            elif what == "source":
                create_source(org, request.POST.get("name", ""), actor=actor)
            elif what == "capture":
                source = get_object_or_404(LeadSource, organisation=org, pk=_int(request.POST.get("source")))
                rotate_capture_key(source, actor=actor)
            elif what == "capture_off":
                source = get_object_or_404(LeadSource, organisation=org, pk=_int(request.POST.get("source")))
                disable_capture(source, actor=actor)
            elif what == "rule":
                source = None
                if _int(request.POST.get("source")):  # named but not ours: 404, never "any source"
                    source = get_object_or_404(
                        LeadSource, organisation=org, pk=_int(request.POST.get("source"))
                    )
                save_assignment_rule(
                    org,
                    name=request.POST.get("name", ""),
                    source=source,
                    agent_ids=[_int(a) for a in request.POST.getlist("agents") if _int(a)],
                    only_on_shift=request.POST.get("only_on_shift") == "1",
                    actor=actor,
                )
            elif what == "delete_rule":
                rule = get_object_or_404(AssignmentRule, organisation=org, pk=_int(request.POST.get("rule")))
                delete_assignment_rule(rule, actor=actor)
            elif what == "webhook":
                hook = save_webhook(
                    org, url=request.POST.get("url", ""), events=request.POST.getlist("events"), actor=actor
                )
                messages.info(request, f"Signing secret (shown once): {hook.secret}")
            elif what == "webhook_secret":
                hook = get_object_or_404(
                    WebhookEndpoint, organisation=org, pk=_int(request.POST.get("webhook"))
                )
                hook = rotate_webhook_secret(hook, actor=actor)
                messages.info(
                    request, f"New signing secret (shown once; the old one no longer works): {hook.secret}"
                )
            elif what == "tag":
                create_tag(org, request.POST.get("name", ""), actor=actor)
            elif what == "rename_tag":
                tag = get_object_or_404(Tag, organisation=org, pk=_int(request.POST.get("tag")))
                rename_tag(tag, request.POST.get("name", ""), actor=actor)
            elif what == "delete_tag":
                tag = get_object_or_404(Tag, organisation=org, pk=_int(request.POST.get("tag")))
                if (answer := confirm.gate(request, lambda: lead_confirm.tag_delete(tag))) is not None:
                    return answer
                delete_tag(tag, actor=actor)
            elif what == "template":
                template = None
                if _int(request.POST.get("template")):
                    template = get_object_or_404(
                        MessageTemplate, organisation=org, pk=_int(request.POST.get("template"))
                    )
                save_message_template(
                    org,
                    name=request.POST.get("name", ""),
                    body=request.POST.get("body", ""),
                    template=template,
                    actor=actor,
                )
            elif what == "delete_template":
                template = get_object_or_404(
                    MessageTemplate, organisation=org, pk=_int(request.POST.get("template"))
                )
                question = lead_confirm.template_delete(template)
                if (answer := confirm.gate(request, question)) is not None:
                    return answer
                delete_message_template(template, actor=actor)
            elif what == "delete_webhook":
                hook = get_object_or_404(
                    WebhookEndpoint, organisation=org, pk=_int(request.POST.get("webhook"))
                )
                delete_webhook(hook, actor=actor)
        except ActionError as exc:
            messages.error(request, f"{exc.field}: {exc.message}" if exc.field else exc.message)
        else:
            messages.success(request, "Saved.")
        return redirect("lead_settings")
    from django.conf import settings as dj_settings

    members = list(selectors.assignable_members(request.membership))
    statuses = list(LeadStatus.objects.filter(organisation=org, is_active=True).order_by("position"))
    return render(
        request,
        "leads/settings.html",
        {
            "pipeline_rows": statuses + [None, None],
            "sources": list(selectors.sources(org.pk)),
            "rules": list(
                AssignmentRule.objects.filter(organisation=org)
                .prefetch_related("agents")
                .select_related("source")
            ),
            "webhooks": [
                (hook, list(hook.deliveries.order_by("-id")[:10]))
                for hook in WebhookEndpoint.objects.filter(organisation=org).order_by("id")
            ],
            "templates": list(selectors.message_templates(org.pk)),
            "tags": list(selectors.tags(org.pk)),
            "members": members,
            "site_url": dj_settings.SITE_URL,
            "events": WebhookEndpoint.EVENTS,
            "kinds": ["open", "won", "lost"],
        },
    )
