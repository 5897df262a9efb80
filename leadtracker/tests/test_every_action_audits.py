"""Every write leaves an audit event (issue 15, item 3).

The walk: every public function of every ``actions`` module (``leadtracker.<app>.actions``,
sub-packages' such as ``leads.trash.actions``, and each module of an ``actions`` package such as
``leads.actions.merge``, found by walking the package, so a new one is walked too) must either
have a SCENARIO here — how to call it minimally — or an exemption with its reason. Each scenario
is then run against a real database and must leave at least one new AuditEvent, whose
``changes`` and object id hold none of the names, numbers, e-mail addresses or notes the
scenario used.

Why behavioural rather than a look at the source for ``record(``: a static check passes for a
function that records on one branch only, or that calls something which records under a
condition it never meets (logging a call by hand reached ``record`` through the follow-up it
plans, when one is given), and it cannot see what the event holds. Running the function is
the only check that the event is written on the everyday path. Exempt functions are read-only
by reason; the one write kept without an event (usage counters) says why.

Besides the walk: the three endpoints the probe found silent (a lead's tags, a call logged by
hand, a call's outcome) are checked through the API, event by event.
"""

import datetime as dt
import importlib
import inspect
import json
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

import leadtracker
from leadtracker.accounts import actions as accounts
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, Role
from leadtracker.accounts.push import actions as push_actions
from leadtracker.accounts.support import actions as support
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.attendance.actions import punch_in
from leadtracker.automation import actions as automation
from leadtracker.calls import actions as calls
from leadtracker.calls.models import Outcome
from leadtracker.calls.sheet.actions import SheetData
from leadtracker.leads import selectors as lead_selectors
from leadtracker.leads.actions.assignment import save_assignment_rule
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import LeadData, create_lead
from leadtracker.leads.actions.saved_views import save_view
from leadtracker.leads.actions.settings import create_source, save_message_template, save_webhook
from leadtracker.leads.actions.tags import create_tag
from leadtracker.leads.models import Lead, LeadStatus, TrashedLead
from leadtracker.leads.trash.actions import trash_leads
from leadtracker.privacy.export.actions import request_export
from leadtracker.privacy.export.tasks import build_export
from leadtracker.privacy.holds.actions import create_hold
from leadtracker.privacy.notices import actions as notices
from leadtracker.privacy.requests import actions as requests
from leadtracker.testing import PASSWORD

# --- the walk --------------------------------------------------------------------------------


def action_modules() -> list:
    names = [
        info.name
        for info in pkgutil.walk_packages(leadtracker.__path__, "leadtracker.")
        # leads/actions.py, leads/trash/actions.py, and leads/actions/merge.py too.
        if "actions" in info.name.split(".")[-2:]
    ]
    return [importlib.import_module(name) for name in sorted(names)]


def public_actions() -> dict[str, object]:
    """'app.actions.function' (without 'leadtracker.') -> the function, for functions defined
    in the module itself (not imported into it) whose names do not start with '_'."""
    found = {}
    for module in action_modules():
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{module.__name__.removeprefix('leadtracker.')}.{name}"] = fn
    return found


# Reads, checks and cleaning that live beside the actions. Each writes nothing: a test below
# holds their own source to that.
READ_ONLY = {
    "accounts.actions.find_invitation": "looks an invitation up by its token",
    "accounts.push.actions.preference": "reads a person's push choices (unsaved defaults if none)",
    "attendance.actions.open_shift": "reads a member's open shift",
    "attendance.actions.day_end_after": "works out a time from the organisation's day end",
    "calls.actions.normalise_code": "cleans a typed pairing code",
    "calls.actions.may_own_call_lead": "a permission check",
    "leads.actions.leads.clean_phones": "cleans input",
    "leads.actions.leads.clean_email": "cleans input",
    "leads.actions.leads.clean_value": "cleans input",
    "leads.actions.leads.clean_lead_data": "cleans input",
    "leads.actions.leads.find_duplicate": "reads the lead that has a number or an e-mail",
    "leads.actions.leads.default_status": "reads the organisation's first open status",
    "leads.actions.permissions.check_owner": "a permission check",
    "leads.actions.merge.plan_merge": (
        "decides what a merge keeps; merge_leads writes it, the preview shows it"
    ),
    "leads.actions.merge.merge_moves": "counts what a merge would move, for the preview",
    "leads.actions.settings.render_template": "fills a message's placeholders",
    "leads.trash.actions.add_trash_guard": "registers a check in memory at start-up; no row",
    "leads.trash.actions.may_restore": "a permission check",
    "privacy.requests.actions.find_subject": "reads the lead or member a request names",
    "privacy.erasure.actions.lead_erasure_preview": "counts what erasing would change: a dry run",
    "privacy.erasure.actions.member_erasure_preview": "counts what erasing would change: a dry run",
    "privacy.erasure.actions.trashed_lead_erasure_preview": "counts what erasing would change: a dry run",
}

# Writes that leave no event, each with why.
WRITES_WITHOUT_EVENT = {
    "calls.actions.count_usage": (
        "adds one to an anonymous daily counter (no person, no lead) on every sync batch and "
        "manual call; the counter is its own record, an event per increment would double the "
        "writes of every sync, and its purge (purge_usage) is audited"
    ),
    "leads.actions.assignment.owners_by_rules": (
        "moves an assignment rule's turn for the owners it picks; its callers write and audit "
        "what they are for: assign_by_rules each assignment, an import its lead.import event"
    ),
}

EXEMPT = READ_ONLY | WRITES_WITHOUT_EVENT


# --- the world each scenario starts from ----------------------------------------------------

LEAD_NAME = "Sunita Rao"
LEAD_NUMBER = "98765 43210"
LEAD_EMAIL = "sunita@example.in"
NOTE = "Sunita's husband picked up"
NEW_PERSON = ("Ravi Kumar", "ravi@example.in", "98111 22334")
# What no event may hold: the people's and the lead's names, numbers, addresses, the notes.
PERSONAL = [
    "Sunita",
    "Rao",
    "9876543210",
    "98765",
    "sunita@",
    "Ravi",
    "ravi@",
    "98111",
    "husband",
    "Olga",
    "olga@",
    "Alice",
    "alice@",
    "Carl",
    "Peter",
    "peter@",
    "newbie@",
]


def world(people):
    actor = Actor.for_user(people.olga.user)
    lead, _ = create_lead(
        people.org,
        LeadData(name=LEAD_NAME, phones=[LEAD_NUMBER], email=LEAD_EMAIL),
        actor=actor,
        by=people.olga,
    )
    return SimpleNamespace(p=people, org=people.org, a=actor, lead=lead, now=timezone.now())


def _other_status(w):
    return LeadStatus.objects.filter(organisation=w.org, is_active=True).exclude(pk=w.lead.status_id).first()


def _leads(w):
    return Lead.objects.filter(pk=w.lead.pk)


def _follow_up(w):
    return schedule_follow_up(w.lead, due_at=w.now + dt.timedelta(days=1), actor=w.a, by=w.p.olga)


def _invitation(w):
    return accounts.invite_member(
        w.org, email="newbie@acme.test", full_name="New Person", actor=w.a, inviter=w.p.olga
    )[0]


def _support_request(w):
    return support.file_support_request(w.p.alice, subject="Help", message="Cannot see my leads", actor=w.a)


def _shift(w):
    return punch_in(w.p.alice, actor=w.a, at=w.now - dt.timedelta(hours=2))[0]


# A public address written as one: nothing to look up on a machine without DNS.
PUSH_ENDPOINT = "https://142.250.183.10/fcm/send/abc123"


def _push_subscription(w):
    return push_actions.subscribe(w.p.alice, endpoint=PUSH_ENDPOINT, keys=Browser().keys(), actor=w.a)


def _pairing_code(w) -> str:
    return calls.create_pairing_code(w.p.alice, actor=w.a, by=w.p.alice)[1]


def _device(w):
    return calls.pair_device(_pairing_code(w), name="Alice's phone", actor=Actor.system())[0]


def _call(w, **kwargs):
    kwargs.setdefault("lead", w.lead)
    return calls.log_call(w.p.alice, actor=w.a, **kwargs)[0]


def _unknown_call(w):
    return _call(w, lead=None, number=NEW_PERSON[2])


def _other_lead(w):
    data = LeadData(name=NEW_PERSON[0], phones=[NEW_PERSON[2]], email=NEW_PERSON[1])
    return create_lead(w.org, data, actor=w.a, by=w.p.olga)[0]


def _rule(w):
    return save_assignment_rule(w.org, name="Round", agent_ids=[w.p.alice.user_id], actor=w.a)


def _webhook(w):
    # An address, not a name: nothing is looked up.
    return save_webhook(w.org, url="https://93.184.216.34/hook", events=["lead.created"], actor=w.a)


def _source(w):
    return create_source(w.org, "Walk-in", actor=w.a)


def _template(w):
    return save_message_template(w.org, name="Hello", body="Namaste {name}", actor=w.a)


def _tag(w):
    return create_tag(w.org, "vip", actor=w.a)


def _automation_rule(w):
    return automation.add_rule_from_template(w.org, "sla", actor=w.a)


def _trashed(w):
    trash_leads(_leads(w), actor=w.a, by=w.p.olga)
    return TrashedLead.objects.get(pk=w.lead.pk)


def _draft(w):
    return notices.create_draft(w.org, actor=w.a)


def _published(w):
    return notices.publish_notice(_draft(w), actor=w.a)


def _data_request(w, **kwargs):
    return requests.create_request(
        w.org, actor=w.a, kind="access", requested_by=LEAD_NAME, channel="email", lead=w.lead, **kwargs
    )


def _built_export(w):
    export = request_export(w.org, actor=w.a, lead=w.lead)
    build_export(export.pk)
    export.refresh_from_db()
    return export


def _out_file(w):
    folder = Path(settings.PRIVATE_FILES_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "person.zip"


def _hold(w):
    return create_hold(w.org, actor=w.a, by=w.p.olga, reason="A dispute", lead=w.lead)


def _with(setup, call):
    """A scenario whose setup runs first (its own events are not counted)."""

    def scenario(w):
        made = setup(w)
        return lambda fn: call(fn, w, made)

    return scenario


def _plain(call):
    return lambda w: lambda fn: call(fn, w)


# How to call each action minimally. A scenario gets the world and returns a function that
# calls the action it is given: the test passes the function found by the walk, so a scenario
# cannot call something else by mistake.
SCENARIOS = {
    # accounts
    "accounts.actions.create_organisation": _plain(
        lambda fn, w: fn(name="Initech", slug="initech", owner_email="peter@initech.test", actor=w.a)
    ),
    "accounts.actions.update_organisation": _plain(lambda fn, w: fn(w.org, actor=w.a, name="Acme Ltd")),
    "accounts.actions.invite_member": _plain(
        lambda fn, w: fn(w.org, email="newbie@acme.test", full_name="New Person", actor=w.a, inviter=w.p.olga)
    ),
    "accounts.actions.revoke_invitation": _with(_invitation, lambda fn, w, inv: fn(inv, actor=w.a)),
    "accounts.actions.accept_invitation": _with(
        _invitation, lambda fn, w, inv: fn(inv, password=PASSWORD, full_name="Peter Newbie")
    ),
    "accounts.actions.change_role": _plain(lambda fn, w: fn(w.p.carl, Role.MANAGER, actor=w.a, by=w.p.olga)),
    "accounts.actions.change_manager": _plain(lambda fn, w: fn(w.p.alice, w.p.mark, actor=w.a)),
    "accounts.actions.update_member": _plain(
        lambda fn, w: fn(w.p.carl, actor=w.a, by=w.p.olga, role=Role.MANAGER)
    ),
    "accounts.actions.deactivate_member": _plain(lambda fn, w: fn(w.p.carl, actor=w.a, by=w.p.olga)),
    "accounts.actions.reactivate_member": _with(
        lambda w: accounts.deactivate_member(w.p.carl, actor=w.a, by=w.p.olga),
        lambda fn, w, member: fn(member, actor=w.a, by=w.p.olga),
    ),
    "accounts.actions.create_api_token": _plain(lambda fn, w: fn(w.p.alice, name="script", actor=w.a)),
    "accounts.actions.revoke_api_token": _with(
        lambda w: accounts.create_api_token(w.p.alice, name="script", actor=w.a)[0],
        lambda fn, w, token: fn(token, actor=w.a),
    ),
    "accounts.actions.sign_up": _plain(
        lambda fn, w: fn(
            org_name="Initech",
            slug="initech",
            full_name="Peter Gibbons",
            email="peter@initech.test",
            password=PASSWORD,
            actor=Actor.system(),
        )
    ),
    "accounts.actions.update_profile": _plain(
        lambda fn, w: fn(w.p.alice.user, actor=w.a, full_name="Alice Renamed", phone=NEW_PERSON[2])
    ),
    "accounts.actions.record_password_change": _plain(lambda fn, w: fn(w.p.alice.user, actor=w.a)),
    "accounts.actions.record_login": _plain(lambda fn, w: fn(w.p.alice.user, w.p.alice, actor=w.a)),
    "accounts.actions.record_password_reset": _plain(lambda fn, w: fn(w.p.alice.user, actor=w.a)),
    # A day past the longest retention: the world's own events have expired by then.
    "accounts.actions.purge_expired_audit_events": _plain(
        lambda fn, w: fn(now=w.now + dt.timedelta(days=3651))
    ),
    "accounts.support.actions.file_support_request": _plain(
        lambda fn, w: fn(w.p.alice, subject="Help", message="Sunita's lead is gone", actor=w.a)
    ),
    "accounts.support.actions.answer_support_request": _with(
        _support_request, lambda fn, w, sr: fn(sr, answer="Look in the trash", actor=w.a, by=w.p.olga)
    ),
    "accounts.support.actions.close_support_request": _with(
        _support_request, lambda fn, w, sr: fn(sr, actor=w.a, by=w.p.olga)
    ),
    # attendance
    "attendance.actions.punch_in": _plain(lambda fn, w: fn(w.p.alice, actor=w.a)),
    "attendance.actions.punch_out": _with(_shift, lambda fn, w, shift: fn(w.p.alice, actor=w.a)),
    "attendance.actions.close_open_shifts": _with(
        _shift, lambda fn, w, shift: fn(now=w.now + dt.timedelta(days=2))
    ),
    "attendance.actions.correct_shift": _with(
        _shift,
        lambda fn, w, shift: fn(
            shift,
            started_at=shift.started_at - dt.timedelta(hours=1),
            ended_at=None,
            reason="came in early",
            actor=w.a,
            by=w.p.maya,
        ),
    ),
    # calls
    "calls.actions.create_pairing_code": _plain(lambda fn, w: fn(w.p.alice, actor=w.a, by=w.p.alice)),
    "calls.actions.pair_device": _with(
        _pairing_code, lambda fn, w, code: fn(code, name="Alice's phone", actor=Actor.system())
    ),
    "calls.actions.report_state": _with(
        _device, lambda fn, w, device: fn(device, call_log_permission="revoked", queue_length=3)
    ),
    "calls.actions.revoke_device": _with(_device, lambda fn, w, device: fn(device, actor=w.a, by=w.p.maya)),
    "calls.actions.record_outcome": _with(
        _call,
        lambda fn, w, call: fn(
            call,
            outcome_id=Outcome.objects.filter(organisation=w.org).first().pk,
            note=NOTE,
            actor=w.a,
            by=w.p.alice,
        ),
    ),
    "calls.actions.link_calls_to_lead": _with(
        _unknown_call, lambda fn, w, call: fn(w.lead, [call.number], actor=w.a)
    ),
    "calls.actions.create_lead_from_call": _with(
        _unknown_call,
        lambda fn, w, call: fn(
            call, name=NEW_PERSON[0], email=NEW_PERSON[1], owner_id=None, actor=w.a, by=w.p.alice
        ),
    ),
    # accounts.push: a browser's subscription and a person's choices (keys made as a browser would)
    "accounts.push.actions.subscribe": _plain(
        lambda fn, w: fn(w.p.alice, endpoint=PUSH_ENDPOINT, keys=Browser().keys(), actor=w.a)
    ),
    "accounts.push.actions.unsubscribe": _with(
        _push_subscription, lambda fn, w, _: fn(w.p.alice, endpoint=PUSH_ENDPOINT, actor=w.a)
    ),
    "accounts.push.actions.save_preference": _plain(
        lambda fn, w: fn(w.p.alice, kinds_on=["follow_up"], off_shift=False, actor=w.a)
    ),
    "accounts.push.actions.remove_gone": _with(
        _push_subscription, lambda fn, w, sub: fn(sub, reason="410 from the push service")
    ),
    "calls.actions.log_call": _plain(
        lambda fn, w: fn(w.p.alice, lead=w.lead, duration_s=95, note=NOTE, actor=w.a)
    ),
    "calls.actions.save_outcome": _plain(lambda fn, w: fn(w.org, name="Wants a visit", actor=w.a)),
    "calls.queue.actions.skip_lead": _with(
        lambda w: Lead.objects.filter(pk=w.lead.pk).update(owner=w.p.olga.user),
        lambda fn, w, _: fn(
            {}, Lead.objects.get(pk=w.lead.pk), reason="busy", today=w.now.date(), actor=w.a, by=w.p.olga
        ),
    ),
    "calls.queue.actions.save_talk_script": _plain(
        lambda fn, w: fn(w.org, status=_other_status(w), text="Ask the budget first", actor=w.a)
    ),
    "calls.sheet.actions.save_sheet": _plain(
        lambda fn, w: fn(
            w.p.olga,
            data=SheetData(
                outcome_id=Outcome.objects.get(organisation=w.org, name="Interested").pk,
                note=NOTE,
                follow_up=calls.NextFollowUp(due_at=w.now + dt.timedelta(days=1)),
                key="sheet-1",
            ),
            actor=w.a,
            lead=w.lead,
        )
    ),
    "calls.actions.purge_usage": _with(
        lambda w: calls.count_usage(w.org, "call.manual"),
        lambda fn, w, _: fn(now=w.now + dt.timedelta(days=3651)),
    ),
    # leads
    "leads.actions.leads.create_lead": _plain(
        lambda fn, w: fn(
            w.org,
            LeadData(name=NEW_PERSON[0], email=NEW_PERSON[1], phones=[NEW_PERSON[2]]),
            actor=w.a,
            by=w.p.olga,
        )
    ),
    "leads.actions.leads.update_lead": _plain(
        lambda fn, w: fn(w.lead, actor=w.a, by=w.p.olga, name="Sunita R. Rao", email=NEW_PERSON[1])
    ),
    "leads.actions.leads.set_phones": _plain(
        lambda fn, w: fn(w.lead, [NEW_PERSON[2]], actor=w.a, by=w.p.olga)
    ),
    "leads.actions.leads.change_status": _plain(
        lambda fn, w: fn(w.lead, _other_status(w), actor=w.a, by=w.p.olga)
    ),
    "leads.actions.assignment.assign_lead": _plain(
        lambda fn, w: fn(w.lead, w.p.alice.user_id, actor=w.a, by=w.p.olga)
    ),
    "leads.actions.assignment.assign_by_rules": _with(_rule, lambda fn, w, rule: fn([w.lead], actor=w.a)),
    "leads.actions.assignment.bulk_assign": _plain(
        lambda fn, w: fn(_leads(w), w.p.alice.user_id, actor=w.a, by=w.p.olga)
    ),
    "leads.actions.leads.bulk_change_status": _plain(
        lambda fn, w: fn(_leads(w), _other_status(w), actor=w.a, by=w.p.olga)
    ),
    "leads.actions.tags.add_tags": _plain(lambda fn, w: fn(w.lead, ["Sunita's family"], actor=w.a)),
    "leads.actions.tags.set_tags": _plain(
        lambda fn, w: fn(w.lead, ["Sunita's family"], actor=w.a, by=w.p.olga)
    ),
    "leads.actions.leads.delete_leads": _plain(lambda fn, w: fn(_leads(w), actor=w.a, by=w.p.olga)),
    "leads.actions.leads.add_note": _plain(lambda fn, w: fn(w.lead, NOTE, actor=w.a, by=w.p.olga)),
    "leads.actions.follow_ups.schedule_follow_up": _plain(
        lambda fn, w: fn(w.lead, due_at=w.now + dt.timedelta(days=1), note=NOTE, actor=w.a, by=w.p.olga)
    ),
    "leads.actions.follow_ups.complete_follow_up": _with(
        _follow_up, lambda fn, w, fu: fn(fu, outcome=NOTE, actor=w.a, by=w.p.olga)
    ),
    "leads.actions.follow_ups.update_follow_up": _with(
        _follow_up, lambda fn, w, fu: fn(fu, actor=w.a, by=w.p.olga, note=NOTE)
    ),
    "leads.actions.follow_ups.cancel_follow_up": _with(
        _follow_up, lambda fn, w, fu: fn(fu, reason=NOTE, actor=w.a, by=w.p.olga)
    ),
    "leads.actions.merge.merge_leads": _with(
        _other_lead, lambda fn, w, other: fn(w.lead, other, actor=w.a, by=w.p.olga)
    ),
    "leads.actions.settings.save_statuses": _plain(
        lambda fn, w: fn(
            w.org,
            [{"id": s.pk, "name": s.name, "kind": s.kind} for s in lead_selectors.statuses(w.org.pk)]
            + [{"name": "Site visit", "kind": "open"}],
            actor=w.a,
        )
    ),
    "leads.actions.settings.create_source": _plain(lambda fn, w: fn(w.org, "Walk-in", actor=w.a)),
    "leads.actions.settings.source_named": _plain(lambda fn, w: fn(w.org, "Newspaper")),
    "leads.actions.assignment.save_assignment_rule": _plain(
        lambda fn, w: fn(w.org, name="Round", agent_ids=[w.p.alice.user_id], actor=w.a)
    ),
    "leads.actions.settings.save_webhook": _plain(
        lambda fn, w: fn(w.org, url="https://93.184.216.34/hook", events=["lead.created"], actor=w.a)
    ),
    "leads.actions.settings.set_colours": _plain(
        lambda fn, w: fn(w.org, statuses={w.lead.status_id: "pink"}, sources={}, actor=w.a)
    ),
    "leads.actions.saved_views.save_view": _plain(
        lambda fn, w: fn(w.p.olga, "My hot leads", query="status=1", columns=["status"], actor=w.a)
    ),
    "leads.actions.saved_views.delete_view": _with(
        lambda w: save_view(w.p.olga, "Site visits", query="", columns=[], actor=w.a),
        lambda fn, w, view: fn(w.p.olga, view, actor=w.a),
    ),
    "leads.actions.saved_views.set_columns": _plain(
        lambda fn, w: fn(w.p.olga, ["status", "city"], actor=w.a)
    ),
    "leads.actions.settings.delete_webhook": _with(_webhook, lambda fn, w, endpoint: fn(endpoint, actor=w.a)),
    "leads.actions.settings.rotate_webhook_secret": _with(
        _webhook, lambda fn, w, endpoint: fn(endpoint, actor=w.a)
    ),
    "leads.actions.assignment.delete_assignment_rule": _with(_rule, lambda fn, w, rule: fn(rule, actor=w.a)),
    "leads.actions.settings.rotate_capture_key": _with(_source, lambda fn, w, source: fn(source, actor=w.a)),
    "leads.actions.settings.disable_capture": _with(_source, lambda fn, w, source: fn(source, actor=w.a)),
    "leads.actions.settings.rename_source": _with(
        _source, lambda fn, w, source: fn(source, "Newspaper", actor=w.a)
    ),
    "leads.actions.settings.save_message_template": _plain(
        lambda fn, w: fn(w.org, name="Hello", body="Namaste {name}", actor=w.a)
    ),
    "leads.actions.settings.delete_message_template": _with(
        _template, lambda fn, w, template: fn(template, actor=w.a)
    ),
    "leads.actions.tags.create_tag": _plain(lambda fn, w: fn(w.org, "vip", actor=w.a)),
    "leads.actions.tags.rename_tag": _with(_tag, lambda fn, w, tag: fn(tag, "gold", actor=w.a)),
    "leads.actions.tags.delete_tag": _with(_tag, lambda fn, w, tag: fn(tag, actor=w.a)),
    # automation
    "automation.actions.save_rule": _plain(
        lambda fn, w: fn(
            w.org, name="Tag", trigger="lead_created", actions=[{"type": "add_tag", "tag": "x"}], actor=w.a
        )
    ),
    "automation.actions.add_rule_from_template": _plain(lambda fn, w: fn(w.org, "sla", actor=w.a)),
    "automation.actions.set_rule_active": _with(
        _automation_rule,
        lambda fn, w, rule: fn(rule, True, actor=w.a),  # a template's rule starts off
    ),
    "automation.actions.delete_rule": _with(_automation_rule, lambda fn, w, rule: fn(rule, actor=w.a)),
    # leads: the trash
    "leads.trash.actions.trash_leads": _plain(lambda fn, w: fn(_leads(w), actor=w.a, by=w.p.olga)),
    "leads.trash.actions.restore_lead": _with(
        _trashed, lambda fn, w, trashed: fn(trashed, actor=w.a, by=w.p.olga)
    ),
    "leads.trash.actions.delete_forever": _with(
        _trashed, lambda fn, w, trashed: fn(trashed, actor=w.a, by=w.p.olga)
    ),
    "leads.trash.actions.purge_trash": _with(
        _trashed, lambda fn, w, _: fn(now=w.now + dt.timedelta(days=31))
    ),
    # privacy
    "privacy.notices.actions.create_draft": _plain(lambda fn, w: fn(w.org, actor=w.a)),
    "privacy.notices.actions.update_draft": _with(
        _draft, lambda fn, w, draft: fn(draft, actor=w.a, title="Our notice")
    ),
    "privacy.notices.actions.delete_draft": _with(_draft, lambda fn, w, draft: fn(draft, actor=w.a)),
    "privacy.notices.actions.publish_notice": _with(_draft, lambda fn, w, draft: fn(draft, actor=w.a)),
    "privacy.notices.actions.accept_notice": _with(
        _published,
        lambda fn, w, notice: fn(w.p.alice, notice, now=notice.effective_at + dt.timedelta(seconds=1)),
    ),
    "privacy.requests.actions.set_request_period": _plain(lambda fn, w: fn(w.org, 20, actor=w.a)),
    "privacy.requests.actions.create_request": _plain(
        lambda fn, w: fn(
            w.org,
            actor=w.a,
            kind="access",
            requested_by=LEAD_NAME,
            channel="email",
            lead=w.lead,
            details=NOTE,
        )
    ),
    "privacy.requests.actions.update_request": _with(
        _data_request, lambda fn, w, request: fn(request, actor=w.a, verification_note=NOTE)
    ),
    "privacy.requests.actions.alert_overdue_requests": _with(
        lambda w: _data_request(w, received_at=w.now - dt.timedelta(days=40)), lambda fn, w, _: fn()
    ),
    "privacy.erasure.actions.erase_lead": _plain(lambda fn, w: fn(w.lead, actor=w.a)),
    "privacy.erasure.actions.erase_trashed_lead": _with(
        _trashed, lambda fn, w, trashed: fn(trashed, actor=w.a)
    ),
    "privacy.erasure.actions.erase_member": _plain(lambda fn, w: fn(w.p.carl, actor=w.a)),
    "privacy.export.actions.request_export": _plain(lambda fn, w: fn(w.org, actor=w.a, lead=w.lead)),
    "privacy.export.actions.record_download": _with(
        _built_export, lambda fn, w, export: fn(export, actor=w.a)
    ),
    "privacy.export.actions.export_to_file": _plain(
        lambda fn, w: fn(w.org, _out_file(w), lead=w.lead, actor=w.a)
    ),
    "privacy.holds.actions.create_hold": _plain(
        lambda fn, w: fn(w.org, actor=w.a, by=w.p.olga, reason="A dispute", lead=w.lead)
    ),
    "privacy.holds.actions.release_hold": _with(_hold, lambda fn, w, hold: fn(hold, actor=w.a, by=w.p.olga)),
}


# This file is near its size limit: newer apps keep their scenarios beside their own tests, in
# a module named tests/audit_scenarios.py (SCENARIOS, READ_ONLY, WRITES_WITHOUT_EVENT), merged here.
for _found in pkgutil.walk_packages(leadtracker.__path__, "leadtracker."):
    if _found.name.endswith(".tests.audit_scenarios"):
        _more = importlib.import_module(_found.name)
        SCENARIOS.update(getattr(_more, "SCENARIOS", {}))
        READ_ONLY.update(getattr(_more, "READ_ONLY", {}))
        WRITES_WITHOUT_EVENT.update(getattr(_more, "WRITES_WITHOUT_EVENT", {}))
EXEMPT = READ_ONLY | WRITES_WITHOUT_EVENT


def test_every_public_action_is_walked_or_exempt_with_a_reason():
    actions = set(public_actions())
    assert len(action_modules()) >= 6  # accounts, attendance, calls, leads, leads.trash, privacy
    missing = sorted(actions - set(SCENARIOS) - set(EXEMPT))
    assert not missing, (
        "these actions are neither walked nor exempt: add a scenario to SCENARIOS (how to call it "
        "so that it writes) or, for a read or a check, an entry in READ_ONLY with the reason: "
        + ", ".join(missing)
    )
    stale = sorted((set(SCENARIOS) | set(EXEMPT)) - actions)
    assert not stale, f"no longer public actions: {', '.join(stale)}"
    assert not set(SCENARIOS) & set(EXEMPT)
    assert all(reason.strip() for reason in EXEMPT.values())


WRITES = (".save(", ".create(", ".update(", ".delete(", "bulk_create(", "get_or_create(", "update_or_create(")


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_a_read_only_helper_writes_nothing(name):
    # Its own source, not what it calls: a tripwire for a write added to a helper exempted
    # as a read (source_named was such a helper: it creates a source on first use).
    source = inspect.getsource(public_actions()[name])
    assert not [w for w in WRITES if w in source], f"{name} writes: walk it in SCENARIOS instead"


@pytest.fixture
def settings_for_walk(settings, tmp_path):
    settings.SIGNUP_ENABLED = True
    # Erasure writes the ledger, an export its zip: into this test's folder.
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger.jsonl"
    return settings


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_action_writes_an_audit_event_without_personal_data(name, acme, settings_for_walk):
    fn = public_actions()[name]
    w = world(acme)
    call = SCENARIOS[name](w)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call(fn)
    new = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    assert new, f"{name} wrote no audit event"
    stored = json.dumps([[e.action, e.object_type, e.object_id, e.changes] for e in new], ensure_ascii=False)
    leaked = [word for word in PERSONAL if word in stored]
    assert not leaked, f"{name} recorded personal data {leaked}: {stored}"
