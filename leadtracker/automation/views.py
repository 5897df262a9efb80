"""Settings → Automation: the organisation's rules, added from a template or from scratch,
changed, switched off, tried (dry run), and each rule's log. Admins only."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.automation import actions
from leadtracker.automation.builder import BuilderForm, initial_of
from leadtracker.automation.field_conditions import describe as field_conditions_in_words
from leadtracker.automation.forms import RuleForm, TemplateForm
from leadtracker.automation.models import Rule, RuleRun
from leadtracker.automation.picks import pick_lists
from leadtracker.automation.scan import dry_run
from leadtracker.automation.timeline import describe, names_for, team_names
from leadtracker.lib.errors import ActionError

# The dry run lists this many leads by name, and counts up to DRY_RUN_COUNT ("and 220 more").
DRY_RUN_SHOWN = 50
DRY_RUN_COUNT = 2000


@member_required(Role.ADMIN)
def rules(request):
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = actions.add_rule_from_template(
            request.org, form.cleaned_data["template"], actor=Actor.from_request(request)
        )
        messages.success(
            request,
            _("Rule “%(name)s” added, switched off: see what it would do, then switch it on.")
            % {"name": rule.name},
        )
        return redirect(reverse("automation_rule", args=[rule.pk]) + "?dry_run=1")
    rows = list(Rule.objects.filter(organisation_id=request.org.pk))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "automation/rules.html", {"rows": rows, "form": form}, status=status)


def _rule_page(request, rule: Rule | None):
    initial = None
    if rule is not None:
        initial = {f: getattr(rule, f) for f in ("name", "trigger", "wait_minutes", "conditions", "actions")}
        initial["is_active"] = rule.is_active
    # A new rule starts switched off, as one from a template does: on after its dry run.
    form = RuleForm(request.POST or None, initial=initial or {"is_active": False})
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_rule(
                request.org, **form.cleaned_data, rule=rule, actor=Actor.from_request(request)
            )
        except ActionError as exc:
            # "conditions.source_ids" and "actions[0].user_id" sit beside their JSON box; the
            # message names the place in words.
            root = exc.field.split(".")[0].split("[")[0]
            form.add_error(root if root in form.fields else None, exc.message)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("automation_rule", saved.pk)
    context = {"rule": rule, "form": form, "due": None, "runs": [], "picks": pick_lists(request.org.pk)}
    if rule is not None:
        runs = list(
            RuleRun.objects.filter(organisation_id=request.org.pk, rule=rule)
            .select_related("lead")
            .order_by("-fired_at", "-id")[:50]
        )
        users, statuses = names_for(runs)
        teams = team_names(request.org.pk, [rule])
        context["runs"] = [(r, describe(r.did, users, statuses, rule, teams)) for r in runs]
        context["field_conditions"] = field_conditions_in_words(request.org.pk, rule.conditions)
        if rule.time_based and (request.GET.get("dry_run") or not rule.is_active):
            due = dry_run(rule, limit=DRY_RUN_COUNT)
            context.update(due=due[:DRY_RUN_SHOWN], due_count=len(due), due_more=len(due) - DRY_RUN_SHOWN)
            context["due_capped"] = len(due) >= DRY_RUN_COUNT
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "automation/rule.html", context, status=status)


@member_required(Role.ADMIN)
def rule_new(request):
    return _rule_page(request, None)


@member_required(Role.ADMIN)
def rule_detail(request, automation_rule_id: int):
    return _rule_page(request, get_object_or_404(Rule, organisation_id=request.org.pk, pk=automation_rule_id))


@require_POST
@member_required(Role.ADMIN)
def rule_switch(request, automation_rule_id: int):
    rule = get_object_or_404(Rule, organisation_id=request.org.pk, pk=automation_rule_id)
    actions.set_rule_active(rule, not rule.is_active, actor=Actor.from_request(request))
    if rule.is_active:
        messages.success(request, _("Rule “%(name)s” switched on.") % {"name": rule.name})
    else:
        messages.success(request, _("Rule “%(name)s” switched off.") % {"name": rule.name})
    if request.POST.get("back") == "rule":
        return redirect("automation_rule", rule.pk)
    return redirect("automation_rules")


def _redraw_initial(form_class_fields, post) -> dict:
    """A redraw (another action slot, an action's type chosen) keeps what was typed without
    checking it: the values as the form's initial, boxes as they were left."""
    initial = {}
    for name, field in form_class_fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = post.getlist(name)
        elif isinstance(field, forms.BooleanField):
            # A box the page showed is as it was left; one it did not keeps its default.
            if name in post.getlist("shown"):
                initial[name] = name in post
        elif name in post:
            initial[name] = post.get(name)
    return initial


def _build(request, rule: Rule | None):
    org_id = request.org.pk
    if rule is not None:
        initial, count = initial_of(rule)
    else:
        initial, count = {"is_active": False, "wait_unit": "minutes"}, 1
    post = request.POST if request.method == "POST" else None
    if post is not None:
        count = int(post.get("action_count") or 1) + (1 if post.get("more") else 0)
    form = BuilderForm(
        org_id,
        None if post is None or post.get("redraw") or post.get("more") else post,
        actions=count,
        initial=initial,
    )
    if not form.is_bound and post is not None:
        form = BuilderForm(org_id, actions=count, initial=_redraw_initial(form.fields, post))
    status = 200
    if form.is_bound:
        if form.is_valid():
            fields, places = form.rule_fields()
            try:
                saved = actions.save_rule(request.org, **fields, rule=rule, actor=Actor.from_request(request))
            except ActionError as exc:
                # Next to its input, in words ("Action 1 → Status: no such status 12").
                form.add_error(places.get(exc.field), exc.message)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("automation_rule", saved.pk)
        status = 422
    return render(request, "automation/builder.html", {"rule": rule, "form": form}, status=status)


@member_required(Role.ADMIN)
def rule_build_new(request):
    return _build(request, None)


@member_required(Role.ADMIN)
def rule_build(request, automation_rule_id: int):
    return _build(request, get_object_or_404(Rule, organisation_id=request.org.pk, pk=automation_rule_id))
