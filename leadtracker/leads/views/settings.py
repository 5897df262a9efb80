"""The lead settings page, and one form and one URL for each of its cards: the pipeline, sources
and web capture, assignment rules, message templates, tags and webhooks (a card's form that acts
on one row names it in the URL). Each answers with the page again, saying "Saved." or why not."""

import functools

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.decorators import member_required
from leadtracker.accounts.models import Role
from leadtracker.leads import colours, selectors
from leadtracker.leads import confirm as lead_confirm
from leadtracker.leads.actions.assignment import delete_assignment_rule, save_assignment_rule
from leadtracker.leads.actions.settings import (
    create_source,
    delete_message_template,
    delete_webhook,
    disable_capture,
    rename_source,
    rotate_capture_key,
    rotate_webhook_secret,
    save_message_template,
    save_statuses,
    save_webhook,
    set_colours,
)
from leadtracker.leads.actions.tags import create_tag, delete_tag, rename_tag
from leadtracker.leads.forms import NameForm, PipelineForm, RuleForm, TemplateForm, WebhookForm
from leadtracker.leads.models import (
    AssignmentRule,
    LeadSource,
    MessageTemplate,
    StatusKind,
    Tag,
    WebhookEndpoint,
)
from leadtracker.lib import confirm
from leadtracker.lib.errors import ActionError
from leadtracker.lib.web import refusal_text

# The form an admin pastes into their website: code, not a page of ours, so it stays as written
# whatever language the admin reads; its placeholders are the website's words, theirs to edit.
CAPTURE_FORM = """<form method="post" action="{site}/api/v1/capture/{key}">
  <input name="name" placeholder="Your name" required>
  <input name="phone" type="tel" autocomplete="tel" placeholder="Mobile number" required>
  <input name="email" placeholder="E-mail">
  <textarea name="message" placeholder="What are you looking for?"></textarea>
  <input name="website" style="display:none" tabindex="-1" autocomplete="off">
  <button>Send</button>
</form>"""


@require_safe
@member_required(Role.ADMIN)
def lead_settings(request):
    org_id = request.org.pk
    sources = list(selectors.sources(org_id))
    for source in sources:
        if source.capture_key:
            source.capture_form = CAPTURE_FORM.format(site=settings.SITE_URL, key=source.capture_key)
    return render(
        request,
        "leads/settings.html",
        {
            "pipeline_rows": list(selectors.statuses(org_id)) + [None, None],
            "sources": sources,
            "rules": list(selectors.assignment_rules(org_id)),
            "webhooks": selectors.webhooks(org_id),
            "templates": list(selectors.message_templates(org_id)),
            "tags": list(selectors.tags(org_id)),
            "members": list(selectors.assignable_members(request.membership)),
            "events": WebhookEndpoint.EVENTS,
            "kinds": StatusKind.choices,
            "palette": colours.CHOICES,
        },
    )


def card_form(form_class: type | None = None):
    """A card's form, posted by an admin. The view acts and returns None, or a page of its own
    (a question to confirm first); the action's refusal, or "Saved.", shows on the settings page,
    naming the field by the label of ``form_class`` (the card's form; the reason alone without)."""

    def decorate(view):
        @require_POST
        @member_required(Role.ADMIN)
        @functools.wraps(view)
        def posted(request, **ids):
            try:
                answer = view(request, Actor.from_request(request), **ids)
            except ActionError as exc:
                form = form_class(request.POST) if form_class else None
                messages.error(request, refusal_text(form, exc))
            else:
                if answer is not None:
                    return answer
                messages.success(request, _("Saved."))
            return redirect("lead_settings")

        return posted

    return decorate


def _valid(form_class: type, request):
    """The card's form, bound to what was posted. A value no form takes (a NUL character) is
    refused like an action's."""
    form = form_class(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ActionError(errors[0], field=None if field == "__all__" else field)
    return form


def _setting(model, request, pk):
    return selectors.get_setting(model, request.org.pk, pk)


# --- pipeline -------------------------------------------------------------------------------


@card_form(PipelineForm)
def pipeline_save(request, actor):
    org = request.org
    rows = _valid(PipelineForm, request).statuses()
    known = selectors.status_ids(org.pk)
    if any(row["id"] and row["id"] not in known for row in rows):
        raise Http404("no such status")
    moves = lead_confirm.status_moves(org, rows, request.POST) if rows else []
    if (answer := confirm.gate(request, lead_confirm.pipeline(request, moves, rows))) is not None:
        return answer
    move_to = {m["status"].pk: m["to"].pk for m in moves if m["to"] is not None}
    save_statuses(org, rows, actor=actor, move_to=move_to)


@card_form()
def colours_save(request, actor):
    """The colours card: ``status-<id>`` and ``source-<id>`` fields, each a palette name."""
    picked = {"status": {}, "source": {}}
    for key, value in request.POST.items():
        kind, _, pk = key.partition("-")
        if kind in picked and pk.isdigit():
            picked[kind][int(pk)] = value
    known_sources = set(selectors.sources(request.org.pk).values_list("pk", flat=True))
    if set(picked["status"]) - selectors.status_ids(request.org.pk) or set(picked["source"]) - known_sources:
        raise Http404("no such status or source")
    set_colours(request.org, statuses=picked["status"], sources=picked["source"], actor=actor)


# --- sources and web capture ----------------------------------------------------------------


@card_form(NameForm)
def source_add(request, actor):
    create_source(request.org, _valid(NameForm, request).cleaned_data["name"], actor=actor)


@card_form(NameForm)
def source_rename(request, actor, source_id):
    source = _setting(LeadSource, request, source_id)
    rename_source(source, _valid(NameForm, request).cleaned_data["name"], actor=actor)


@card_form()
def capture_key_new(request, actor, source_id):
    rotate_capture_key(_setting(LeadSource, request, source_id), actor=actor)


@card_form()
def capture_off(request, actor, source_id):
    disable_capture(_setting(LeadSource, request, source_id), actor=actor)


# --- assignment rules -----------------------------------------------------------------------


@card_form(RuleForm)
def rule_add(request, actor):
    data = _valid(RuleForm, request).cleaned_data
    source = None
    if data["source"]:  # named but not ours: 404, never "any source"
        source = _setting(LeadSource, request, data["source"])
    save_assignment_rule(
        request.org,
        name=data["name"],
        source=source,
        agent_ids=data["agents"],
        only_on_shift=data["only_on_shift"],
        actor=actor,
    )


@card_form()
def rule_delete(request, actor, rule_id):
    delete_assignment_rule(_setting(AssignmentRule, request, rule_id), actor=actor)


# --- message templates ----------------------------------------------------------------------


@card_form(TemplateForm)
def template_save(request, actor, template_id=None):
    template = _setting(MessageTemplate, request, template_id) if template_id else None
    data = _valid(TemplateForm, request).cleaned_data
    save_message_template(request.org, name=data["name"], body=data["body"], template=template, actor=actor)


@card_form()
def template_delete(request, actor, template_id):
    template = _setting(MessageTemplate, request, template_id)
    if (answer := confirm.gate(request, lead_confirm.template_delete(template))) is not None:
        return answer
    delete_message_template(template, actor=actor)


# --- tags -----------------------------------------------------------------------------------


@card_form(NameForm)
def tag_add(request, actor):
    create_tag(request.org, _valid(NameForm, request).cleaned_data["name"], actor=actor)


@card_form(NameForm)
def tag_rename(request, actor, tag_id):
    rename_tag(_setting(Tag, request, tag_id), _valid(NameForm, request).cleaned_data["name"], actor=actor)


@card_form()
def tag_delete(request, actor, tag_id):
    tag = _setting(Tag, request, tag_id)
    if (answer := confirm.gate(request, lambda: lead_confirm.tag_delete(tag))) is not None:
        return answer
    delete_tag(tag, actor=actor)


# --- webhooks -------------------------------------------------------------------------------


@card_form(WebhookForm)
def webhook_add(request, actor):
    data = _valid(WebhookForm, request).cleaned_data
    hook = save_webhook(request.org, url=data["url"], events=data["events"], actor=actor)
    messages.info(request, _("Signing secret (shown once): %(secret)s") % {"secret": hook.secret})


@card_form()
def webhook_secret(request, actor, webhook_id):
    hook = rotate_webhook_secret(_setting(WebhookEndpoint, request, webhook_id), actor=actor)
    messages.info(
        request,
        _("New signing secret (shown once; the old one no longer works): %(secret)s")
        % {"secret": hook.secret},
    )


@card_form()
def webhook_delete(request, actor, webhook_id):
    delete_webhook(_setting(WebhookEndpoint, request, webhook_id), actor=actor)
