"""How to make, in a given organisation, an object for each URL parameter name.

The tenancy test walks every URL pattern and API operation; a parameter it cannot fill
fails the test, so a new route cannot slip through untested. Apps add their factories here.
"""

import itertools

from leadtracker.accounts.actions import create_api_token, invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.fields.actions import create_field
from leadtracker.leads.models import Lead
from leadtracker.testing import make_lead


def _invitation(people):
    inv, _raw = invite_member(people.org, email="guest@example.in", actor=Actor.for_user(people.olga.user))
    return inv.pk


def _personal_token(people):
    # The walking member's own token: personal tokens are visible only to their owner.
    token, _raw = create_api_token(people.olga, name="walk", actor=Actor.system())
    return token.pk


def _lead(people):
    n = Lead.objects.filter(organisation=people.org).count()
    return make_lead(
        people, name=f"Walk {n}", phone=f"+9198765{n:05d}", actor=Actor.system(), on_duplicate="create"
    )


def _follow_up(people):
    import datetime as dt

    from django.utils import timezone

    from leadtracker.leads.actions.follow_ups import schedule_follow_up

    fu = schedule_follow_up(
        _lead(people), due_at=timezone.now() + dt.timedelta(days=1), actor=Actor.system(), by=people.olga
    )
    return fu.pk


def _source(people):
    from leadtracker.leads.actions.settings import source_named

    return source_named(people.org, "Walk-in").pk


def _rule(people):
    from leadtracker.leads.actions.assignment import save_assignment_rule

    return save_assignment_rule(
        people.org, name="RR", agent_ids=[people.alice.user_id], actor=Actor.system()
    ).pk


def _webhook(people):
    from leadtracker.leads.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        organisation=people.org, url="https://hooks.example.in/x", secret="s" * 64, events=["lead.created"]
    ).pk


_NAMES = itertools.count()  # a new name per call: one operation may delete what the next renames


def _message_template(people):
    from leadtracker.leads.models import MessageTemplate

    return MessageTemplate.objects.create(
        organisation=people.org, name=f"Walk {next(_NAMES)}", body="Hello {name}"
    ).pk


def _tag(people):
    from leadtracker.leads.models import Tag

    return Tag.objects.create(organisation=people.org, name=f"walk-{next(_NAMES)}").pk


def _import(people):
    from leadtracker.leads.imports.jobs import import_dir
    from leadtracker.leads.models import ImportJob

    path = import_dir() / f"walk-{people.org.slug}.csv"
    path.write_text("Name,Phone\nRaj,9876543210\n")
    return ImportJob.objects.create(
        organisation=people.org,
        file_name="x.csv",
        stored_path=str(path),
        headers=["Name", "Phone"],
        mapping={"0": "name", "1": "phone"},
    ).pk


def _device(people):
    from leadtracker.calls.actions import create_pairing_code, pair_device

    _code, raw = create_pairing_code(people.alice, actor=Actor.system(), by=None)
    device, _token = pair_device(raw, name="Walk phone", actor=Actor.system())
    return device.pk


def _shift(people):
    import datetime as dt

    from django.utils import timezone

    from leadtracker.attendance.models import Shift

    end = timezone.now() - dt.timedelta(days=2)
    return Shift.objects.create(
        organisation=people.org,
        user_id=people.alice.user_id,
        started_at=end - dt.timedelta(hours=8),
        ended_at=end,
    ).pk


_CALLS = itertools.count()  # each call its own second: the second is part of a call's identity
_ANCHOR: list = []


def _calls_anchor():
    # One "now" per run: counting back from a moving clock gave two calls the same second
    # whenever a second passed between them (a slow walk on PostgreSQL did).
    from django.utils import timezone

    if not _ANCHOR:
        _ANCHOR.append(timezone.now().replace(microsecond=0))
    return _ANCHOR[0]


def _call(people):
    import datetime as dt

    from leadtracker.calls.models import Call

    return Call.objects.create(
        organisation=people.org,
        user_id=people.alice.user_id,
        lead=_lead(people),
        number="+919876543210",
        type="outgoing",
        status="connected",
        direction="out",
        started_at=_calls_anchor() - dt.timedelta(hours=1, seconds=next(_CALLS)),
        duration_s=60,
    ).pk


def _outcome(people):
    from leadtracker.calls.models import Outcome

    return Outcome.objects.filter(organisation=people.org).order_by("pk").first().pk


FACTORIES = {
    "member_id": lambda people: people.alice.pk,
    "invitation_id": _invitation,
    "token_id": _personal_token,
    "event_id": lambda people: AuditEvent.objects.filter(organisation=people.org).order_by("pk").first().pk,
    "lead_id": lambda people: _lead(people).pk,
    "follow_up_id": _follow_up,
    "source_id": _source,
    "rule_id": _rule,
    "webhook_id": _webhook,
    "template_id": _message_template,
    "tag_id": _tag,
    "import_id": _import,
    "shift_id": _shift,
    "device_id": _device,
    "call_id": _call,
    "outcome_id": _outcome,
    "disposition_id": _outcome,  # the deprecated /dispositions paths, for one release
}

# Parameters that name no organisation's object: secrets handed out by link, valid for
# whoever holds them (an invitation is meant to be opened by someone outside the org).
PUBLIC_PARAMETERS = {
    "token": "invitation secret from an e-mailed link",
    "uidb64": "password-reset link",
    "key": "web-capture key of a source: public by design, it sits in a website's form",
    "unsubscribe_token": "signed unsubscribe link in a marketing message; tested in test_unsubscribe.py",
    "pairing_code": "a phone's pairing link: the code is the secret (used once, 15 minutes)",
}


def _status(people):
    from leadtracker.leads.models import LeadStatus

    return LeadStatus.objects.filter(organisation=people.org, name="Contacted").get().pk


# Object ids sent in request bodies, by property name. The walker sends another
# organisation's ids in each of these and expects 404, exactly as for ids in paths.
BODY_FACTORIES = {
    "member_id": lambda people: people.alice.pk,
    "reports_to": lambda people: people.maya.pk,
    "duplicate_id": lambda people: _lead(people).pk,
    "status_id": _status,
    "sets_status_id": _status,
    "source_id": _source,
    "owner_id": lambda people: people.alice.user_id,
    "assignee_id": lambda people: people.alice.user_id,
    "agent_ids": lambda people: [people.alice.user_id],
    "ids": lambda people: [_lead(people).pk],
    "lead_id": lambda people: _lead(people).pk,
    "outcome_id": _outcome,
}


def _privacy_notice(people):
    # A fresh draft each time: one operation may publish what the next one edits. Dated a month
    # ahead, so that publishing it while walking does not put the walker behind the acceptance
    # gate for the pages that follow (the walk would then see redirects, not answers).
    import datetime as dt

    from django.utils import timezone

    from leadtracker.privacy.notices.actions import create_draft

    return create_draft(
        people.org, actor=Actor.system(), effective_at=timezone.now() + dt.timedelta(days=30)
    ).pk


FACTORIES["notice_id"] = _privacy_notice
_FIELDS = itertools.count()
FACTORIES["field_id"] = lambda people: (
    create_field(people.org, label=f"Walk field {next(_FIELDS)}", type="text", actor=Actor.system()).pk
)
PUBLIC_PARAMETERS["org_slug"] = "an organisation's public privacy notice: published for anyone to read"


def _support_request(people):
    # Filed by an agent: the owner walking the pages must still reach it (admins see all).
    from leadtracker.accounts.support.actions import file_support_request

    return file_support_request(
        people.alice, subject="Walk", message="Cannot log a call", actor=Actor.system()
    ).pk


FACTORIES["support_request_id"] = _support_request


def _data_request(people):
    from leadtracker.privacy.requests.actions import create_request

    return create_request(
        people.org,
        actor=Actor.system(),
        kind="access",
        requested_by="Walker",
        channel="email",
        lead=_lead(people),
    ).pk


FACTORIES["request_id"] = _data_request


def _access_export(people):
    # A queued export is enough: the pages and the API find it (or not) before its state matters.
    from leadtracker.privacy.models import AccessExport

    return AccessExport.objects.create(organisation=people.org, lead=_lead(people)).pk


FACTORIES["export_id"] = _access_export
BODY_FACTORIES["data_request_id"] = _data_request


def _legal_hold(people):
    # On a fresh lead each time: one operation may release what the next one reads.
    from leadtracker.privacy.holds.actions import create_hold

    return create_hold(
        people.org, actor=Actor.system(), by=None, reason="Walk: a dispute", lead=_lead(people)
    ).pk


FACTORIES["hold_id"] = _legal_hold


def _trashed_lead(people):
    # A lead moved to the trash: its id is what the trash's pages and operations take.
    from leadtracker.leads.trash.actions import trash_leads

    lead = _lead(people)
    trash_leads(Lead.objects.filter(pk=lead.pk), actor=Actor.system(), by=people.olga)
    return lead.pk


FACTORIES["trashed_id"] = _trashed_lead


def _saved_view(people):
    # The owner's view shared with the team: everyone below sees it (the broadest a view is seen).
    from leadtracker.leads.actions.saved_views import save_view

    return save_view(
        people.olga, f"Walk {next(_NAMES)}", query="", columns=[], shared=True, actor=Actor.system()
    ).pk


FACTORIES["view_id"] = _saved_view


def _automation_rule(people):
    # A time-based rule: its page shows the dry run too.
    from leadtracker.automation.actions import add_rule_from_template

    return add_rule_from_template(people.org, "sla", actor=Actor.system()).pk


FACTORIES["automation_rule_id"] = _automation_rule


def _connector(people):
    # after Django's setup, as the factories above: the walk imports this module first
    from leadtracker.integrations.actions import add_connector
    from leadtracker.integrations.models import Connector

    # One per organisation, so that a payload's route names the connector it belongs to.
    found = Connector.objects.filter(organisation=people.org).order_by("pk").first()
    return found or add_connector(people.org, kind="google-ads", actor=Actor.system())[0]


def _payload(people):
    # after Django's setup, as the factories above: the walk imports this module first
    from leadtracker.integrations.actions import receive_payload

    return receive_payload(_connector(people), "", {"walk": True}, failed="a walk's payload")[0].pk


FACTORIES["connector_id"] = lambda people: _connector(people).pk
FACTORIES["payload_id"] = _payload
PUBLIC_PARAMETERS["url_token"] = "an integration's hook: its unguessable token is the provider's credential"
PUBLIC_PARAMETERS["kind"] = "a kind of integration (google-ads, facebook): the same for every organisation"
