"""Web pages for leads: the list, the board, a lead (its notes, status, owner, follow-ups), new lead,
editing, duplicates and merging, bulk changes, export."""

import datetime as dt
from types import SimpleNamespace

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.leads import access, kept_counts, list_sql, selectors
from leadtracker.leads import confirm as lead_confirm
from leadtracker.leads.actions.assignment import assign_lead, bulk_assign
from leadtracker.leads.actions.follow_ups import schedule_follow_up
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
from leadtracker.leads.actions.saved_views import COLUMNS, DEFAULT_COLUMNS
from leadtracker.leads.actions.tags import add_tags, set_tags
from leadtracker.leads.export import export_response
from leadtracker.leads.fields import chips as field_chips
from leadtracker.leads.fields import filters as field_filters
from leadtracker.leads.fields import forms as field_forms
from leadtracker.leads.fields import selectors as field_selectors
from leadtracker.leads.forms import FollowUpForm, LeadEditForm, LeadForm, NoteForm
from leadtracker.leads.models import LeadSource, LeadStatus
from leadtracker.leads.views import cached, list_rows
from leadtracker.lib import confirm
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import keyset_sorted
from leadtracker.lib.timeutil import ANY_FUTURE, ANY_PAST, is_within
from leadtracker.lib.web import form_refusal, int_or_none, merge_context, refusal_text, safe_back

PAGE = 50
COUNT_CAP = 10_000


SORTS = {
    "next_follow_up": ("next_follow_up_at", "Next follow-up"),
    "-created": ("created_at", "Newest"),
    "-updated": ("updated_at", "Recently changed"),
    "name": ("name", "Name"),
}


def _date(value):
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    # A day the list cannot look for (year 1, 9999) is left out like one that is no day at all.
    return day if is_within(day, past=ANY_PAST, future=ANY_FUTURE) else None


def _filters(params):
    g = params
    return {
        "status": int_or_none(g.get("status")),
        "owner": int_or_none(g.get("owner")),
        "team": int_or_none(g.get("team")),
        "source": int_or_none(g.get("source")),
        "tag": int_or_none(g.get("tag")),
        "follow_up": g.get("follow_up") if g.get("follow_up") in ("overdue", "today", "week") else None,
        "created_from": _date(g.get("created_from")),
        "created_to": _date(g.get("created_to")),
        "unassigned": g.get("unassigned") == "1",
    }


def filtered_leads(request, params=None):
    """The leads the viewer may see that the list's filters match (``params``: the request's
    query, or the one a bulk form carried)."""
    params = request.GET if params is None else params
    viewer = request.membership
    qs = selectors.filter_leads(
        selectors.leads_for(viewer), viewer, tz=request.org.tzinfo, **_filters(params)
    )
    qs, problem = field_filters.apply_web(qs, params, cached.custom_fields(request), request.org.phone_region)
    if problem:
        messages.error(request, _("A custom field filter was left out: %(problem)s") % {"problem": problem})
    return selectors.search(qs, params.get("q", ""), request.org.pk, request.org.phone_region)


def _count(qs) -> int:
    """How many leads match, counted no further than COUNT_CAP (one query on a subquery with
    a LIMIT): a million-lead list's count would cost more than the page."""
    return qs.order_by()[: COUNT_CAP + 1].count()


def _page(request, sort, field, descending, parse, filters, custom):
    """The page's leads with their status, source and owner, the next page's cursor, and the
    filtered queryset when it was made. The common lists — the whole organisation's or an
    agent's, no search, no filter but a status and an owner, a column's sort — by a statement
    written once per shape (leads/list_sql.py, as the API's list), not a queryset built and
    compiled on every visit; the others by the ORM."""
    cursor = request.GET.get("cursor")
    key = sort.lstrip("-")[7:] if sort.lstrip("-").startswith("fields.") else None
    by_custom = key is not None and key in {f.key for f in custom}
    # A manager's team is left to the ORM: its count, made live, would read the team's people
    # a second time (visibility.visible_user_ids), one statement more than the ORM's path.
    manager = request.membership.role == Role.MANAGER
    if not (by_custom or manager) and _only_status_and_owner(request, filters, custom):
        asked = SimpleNamespace(status=filters["status"], owner=filters["owner"])
        found = list_sql.page(
            request.membership,
            asked,
            field=field,
            descending=descending,
            cursor=cursor,
            limit=PAGE,
            parse=parse,
            models=True,
        )
        if found is not None:
            return *found, None
    matching = filtered_leads(request)
    qs = matching.select_related("status", "source", "owner")
    if by_custom:  # A custom field's value (fields/filters.py): highest first for money and numbers.
        qs = field_filters.sorted_by(qs, key, custom)
        field, parse = field_filters.SORT_NAME, (lambda v: v)
    found = keyset_sorted(qs, field=field, descending=descending, cursor=cursor, limit=PAGE, parse=parse)
    return *found, matching


def _only_status_and_owner(request, filters: dict, custom) -> bool:
    """Whether the list asked has no search and no filter but a status and an owner."""
    others = any(value for name, value in filters.items() if name not in ("status", "owner"))
    return not (others or request.GET.get("q", "").strip() or field_filters.form_specs(request.GET, custom))


def _total(request, matching, filters: dict, custom) -> int:
    """_count(matching) (a queryset, or a function that makes it), or the count the database
    keeps when the list is one it answers (leads/kept_counts.py)."""
    kept = None
    if _only_status_and_owner(request, filters, custom):
        kept = kept_counts.leads_counted(request.membership, status=filters["status"], owner=filters["owner"])
    if kept is None:
        return _count(matching() if callable(matching) else matching)
    return kept


def _list_settings(request) -> dict:
    """The saved views the viewer may pick (their own and their managers' shared ones), the one
    picked (?view=), and the desktop table's columns: the picked view's, else the person's own."""
    saved = list(selectors.saved_views_for(request.membership).select_related("owner"))
    mine = next((v for v in saved if not v.name and v.owner_id == request.user.pk), None)
    views = [v for v in saved if v.name]
    current = next((v for v in views if v.pk == int_or_none(request.GET.get("view"))), None)
    columns = (current and current.columns) or (mine and mine.columns) or DEFAULT_COLUMNS
    custom = cached.custom_fields(request)
    return {
        "views": views,
        "current_view": current,
        "columns": columns,
        "column_names": {**COLUMNS, **{f"fields.{f.key}": f.label for f in custom}},
        "custom_columns": [f for f in custom if f"fields.{f.key}" in columns],
    }


@member_required()
def lead_list(request):
    list_settings = _list_settings(request)
    view = list_settings["current_view"]
    if view and set(request.GET) == {"view"}:
        # A view picked by its id alone (a bookmark, a shared link) opens with its own filters.
        return redirect(f"{request.path}?{view.query}{'&' if view.query else ''}view={view.pk}")
    sort = request.GET.get("sort", "next_follow_up")
    field, _label = SORTS.get(sort, SORTS["next_follow_up"])
    descending = sort.startswith("-")
    parse = (lambda v: v) if field == "name" else dt.datetime.fromisoformat
    custom = cached.custom_fields(request)
    filters = _filters(request.GET)
    try:
        rows, next_cursor, matching = _page(request, sort, field, descending, parse, filters, custom)
    except ActionError:  # a cursor that was not ours: start at the top
        query = request.GET.copy()
        query.pop("cursor", None)
        return redirect(f"{request.path}?{query.urlencode()}")
    access.number_searched(request, request.GET.get("q", ""), via="web", cursor=request.GET.get("cursor"))
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "leads": list_rows.ready(request.membership, rows),
        "next_cursor": next_cursor,
        "query": query.urlencode(),
        "sort": sort,
        "sorts": SORTS,
        "q": request.GET.get("q", ""),
        "f": filters,
        "now": timezone.now(),
        "custom_filters": field_filters.form_rows(request.GET, custom),
        "custom_sorts": field_filters.sort_choices(custom),
        "bulk_fields": custom,
        "filtered_fields": field_chips.filtered_fields(query, custom),
    }
    context["lead_rows"] = list_rows.rows(
        context["leads"],
        rank=request.membership.rank,
        columns=list_settings["columns"],
        custom_columns=list_settings["custom_columns"],
        filtered_fields=context["filtered_fields"],
        now=context["now"],
    )
    if request.headers.get("HX-Request") and request.GET.get("cursor"):
        return render(request, "leads/_rows.html", context | list_settings)
    for name, label in (("created_from", _("Created from")), ("created_to", _("Created to"))):
        if request.GET.get(name) and context["f"][name] is None:
            messages.error(
                request,
                _("%(label)s: not a day within 50 years of today (YYYY-MM-DD); left out.") % {"label": label},
            )
    query.pop("view", None)
    total = _total(
        request, (lambda: filtered_leads(request)) if matching is None else matching, filters, custom
    )
    context |= {
        "total": min(total, COUNT_CAP),
        "total_capped": total > COUNT_CAP,
        **field_chips.list_chips(query, filters, choices := selectors.choices(request.membership), custom),
        "view_query": query.urlencode(),
        # An organisation without a single lead is told how to start, not "no leads match".
        "no_leads_at_all": not total and not query and not selectors.leads_for(request.membership).exists(),
    }
    return render(
        request,
        "leads/list.html",
        merge_context(context, choices, list_settings),
    )


def _bulk_targets(request, ids):
    """The ticked leads, or with ``all_matching`` every lead the list's query matches."""
    viewer = request.membership
    if request.POST.get("all_matching") == "1":
        return filtered_leads(request, QueryDict(request.POST.get("query", "")))
    return selectors.leads_for(viewer).filter(pk__in=ids)


def _bulk_question(request, leads, ids, action):
    def ask():
        if request.POST.get("all_matching") == "1":
            n = _count(leads)
            if n > COUNT_CAP:
                return None  # refused below, before anything changes
            return lead_confirm.bulk_all_matching(request, n, action) if n else None
        return lead_confirm.bulk_delete(request, leads) if action == "delete" and ids else None

    return ask


@require_POST
@member_required(Role.MANAGER)
def bulk(request):
    viewer = request.membership
    ids = [i for i in (int_or_none(x) for x in request.POST.getlist("ids")) if i]
    everything = request.POST.get("all_matching") == "1"
    leads = _bulk_targets(request, ids)
    action = request.POST.get("action")
    actor = Actor.from_request(request)
    if (answer := confirm.gate(request, _bulk_question(request, leads, ids, action))) is not None:
        return answer
    try:
        if not ids and not everything:
            raise ActionError(_("tick one or more leads first"), field="ids")
        if everything and _count(leads) > COUNT_CAP:
            raise ActionError(
                _("more than %(cap)s leads match: narrow the filters first") % {"cap": f"{COUNT_CAP:,}"},
                field="ids",
            )
        if action == "assign":
            n = bulk_assign(leads, int_or_none(request.POST.get("owner")), actor=actor, by=viewer)
        elif action == "status":
            status = get_object_or_404(
                LeadStatus, organisation=request.org, pk=int_or_none(request.POST.get("status"))
            )
            n = bulk_change_status(leads, status, actor=actor, by=viewer)
        elif action == "tag":
            tags = [t for t in request.POST.get("tags", "").split(",") if t.strip()]
            if not tags:
                raise ActionError(_("type one or more tags"), field="tags")
            n = sum(bool(add_tags(lead, tags, actor=actor)) for lead in leads)
        elif action == "delete":
            n = delete_leads(leads, actor=actor, by=viewer)
        elif action == "field":
            n = _bulk_field(leads, request.POST, actor=actor, by=viewer)
        else:
            raise ActionError(_("choose what to do"), field="action")
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, translation.ngettext("%(n)s lead changed.", "%(n)s leads changed.", n) % {"n": n}
        )
    return redirect(safe_back(request, reverse("lead_list")))


@transaction.atomic  # every lead or none: a bad value is said once and changes nothing
def _bulk_field(leads, post, *, actor, by) -> int:
    """One custom field set (an empty value clears it) on every chosen lead, each through
    update_lead: its check, timeline entry and audit event."""
    key = post.get("bulk_field", "")
    if not key:
        raise ActionError(_("choose a field"), field="bulk_field")
    changed = 0
    for lead in leads.select_related("organisation"):
        before = lead.custom_fields
        update_lead(lead, actor=actor, by=by, custom_fields={key: post.get("bulk_value", "")})
        changed += lead.custom_fields != before
    return changed


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


def _matched(exc: DuplicateLead) -> str:  # the action names the field as the API does
    return {"phone": _("phone"), "email": _("email")}.get(exc.matched_on, exc.matched_on)


@member_required()
def lead_new(request):
    choices = selectors.choices(request.membership)
    form = LeadForm(request.POST or None, sources=choices["source_choices"], owners=choices["owner_choices"])
    custom = field_selectors.fields_for(request.membership)
    field_forms.add_custom_fields(form, custom)
    if request.method == "POST" and form.is_valid():
        try:
            data = _lead_data(request, form.cleaned_data)
            data.custom_fields = field_forms.custom_values(form, custom)
            data.fields_by = request.membership
            lead, _outcome = create_lead(
                request.org,
                data,
                actor=Actor.from_request(request),
                by=request.membership,
            )
            if form.cleaned_data["note"]:
                add_note(lead, form.cleaned_data["note"], actor=Actor.from_request(request), by=None)
        except DuplicateLead as exc:
            if selectors.leads_for(request.membership).filter(pk=exc.existing.pk).exists():
                # a link to that lead, its name escaped (the API's message stays plain words)
                link = format_html(
                    '<a href="{}">{}</a>', reverse("lead_detail", args=[exc.existing.pk]), exc.existing
                )
                message = _("This {what} belongs to an existing lead: {lead}")
                form.add_error(None, format_html(message, what=_matched(exc), lead=link))
            else:
                form.add_error(
                    None, _("A lead with this %(what)s exists; ask your manager.") % {"what": _matched(exc)}
                )
        except ActionError as exc:
            field = "phones" if exc.field.startswith("phone") else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Lead “%(lead)s” created.") % {"lead": lead})
            return redirect("lead_detail", lead_id=lead.pk)
    return render(request, "leads/new.html", {"form": form})


def _act(request, lead_id, fn, success, form=None):
    """``fn`` done, or its refusal shown, naming the field by ``form``'s label (if given)."""
    lead = selectors.get_lead(request.membership, lead_id)
    try:
        fn(lead, Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, refusal_text(form, exc))
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
        _("Note added."),
        form=form,
    )


@require_POST
@member_required()
def lead_status(request, lead_id):
    selectors.get_lead(request.membership, lead_id)  # 404 before anything else
    status_id = int_or_none(request.POST.get("status"))
    status = LeadStatus.objects.filter(organisation=request.org, pk=status_id).first()
    if status is None:
        messages.error(request, _("status: choose one of the pipeline's statuses"))
        return redirect("lead_detail", lead_id=lead_id)
    reason = request.POST.get("lost_reason", "")
    return _act(
        request,
        lead_id,
        lambda lead, actor: change_status(
            lead, status, actor=actor, by=request.membership, lost_reason=reason
        ),
        _("Moved to %(status)s.") % {"status": status.name},
    )


@require_POST
@member_required(Role.MANAGER)
def lead_assign(request, lead_id):
    owner = int_or_none(request.POST.get("owner"))
    return _act(
        request,
        lead_id,
        lambda lead, actor: assign_lead(lead, owner, actor=actor, by=request.membership),
        _("Assigned."),
    )


@require_POST
@member_required()
def lead_follow_up(request, lead_id):
    selectors.get_lead(request.membership, lead_id)  # another organisation's lead: 404 first
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_refusal(form))
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
        _("Follow-up planned."),
        form=form,
    )


@member_required()
def lead_edit(request, lead_id):
    lead = selectors.get_lead(request.membership, lead_id)
    choices = selectors.choices(request.membership)
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
    custom = field_selectors.fields_for(request.membership)
    field_forms.add_custom_fields(form, custom, lead.custom_fields)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = Actor.from_request(request)
        source = (
            LeadSource.objects.filter(organisation=request.org, pk=d["source"]).first()
            if d["source"]
            else None
        )
        try:
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
                    custom_fields=field_forms.custom_values(form, custom),
                )
                set_tags(lead, d["tags"].split(","), actor=actor, by=request.membership)
        except DuplicateLead:
            form.add_error("phones", _("another lead has one of these numbers"))
        except ActionError as exc:
            field = "phones" if exc.field.startswith("phone") else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
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
    qs = filtered_leads(request).select_related("owner")
    query = request.GET.copy()
    for key in ("column", "cursor"):
        query.pop(key, None)
    if "column" in request.GET:
        status = next((s for s in statuses if s.pk == int_or_none(request.GET["column"])), None)
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
    if "figures" in request.GET:  # board.js, after a drag: each column's count and total again
        figures = [
            {"status": s, "count": totals.get(s.pk, (0, None))[0], "total": totals.get(s.pk, (0, None))[1]}
            for s in statuses
        ]
        return render(request, "leads/_board_figures.html", {"columns": figures})
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
    status_id = int_or_none(request.POST.get("status"))
    status = LeadStatus.objects.filter(organisation=request.org, pk=status_id).first()
    if status is None:
        messages.error(request, _("status: choose one of the pipeline's statuses"))
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
    other = selectors.leads_for(request.membership).filter(pk=int_or_none(data.get("duplicate"))).first()
    if other is None or other.pk == lead.pk:
        problem = _("duplicate: no such lead") if other is None else _("duplicate: the same lead")
        messages.error(request, problem)
        return redirect("lead_detail", lead_id=lead_id)
    if (answer := confirm.gate(request, lambda: lead_confirm.merge(request, lead, other))) is not None:
        return answer
    return _act(
        request,
        lead_id,
        lambda lead, actor: merge_leads(lead, other, actor=actor, by=request.membership),
        _("Merged."),
    )


@member_required(Role.MANAGER)
def export(request):
    fmt = request.GET.get("format", "csv")
    return export_response(request, filtered_leads(request), fmt if fmt in ("csv", "xlsx") else "csv")
