"""Every write of the integrations: connectors added, changed, removed; payloads received,
processed into leads and replayed. Each writes its audit event (ids, kinds and option names
only: never a secret, a name or a number)."""

import datetime as dt
import logging
import secrets as random_secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_tasks import task

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import PushKind
from leadtracker.accounts.notifications import later, notify
from leadtracker.integrations import health, registry
from leadtracker.integrations.crypto import SecretsUnreadable
from leadtracker.integrations.models import Connector, Payload, PayloadStatus
from leadtracker.integrations.registry import Mapped, MappingError
from leadtracker.integrations.scrub import without_recordings
from leadtracker.leads.actions.leads import create_lead
from leadtracker.leads.actions.settings import source_named
from leadtracker.leads.models import Activity, ActivityKind, LeadSource
from leadtracker.lib.errors import ActionError
from leadtracker.lib.stored_text import english, recipe_of, recording, stored

log = logging.getLogger(__name__)

TEST_TAG = "test lead"


def _provider(kind: str) -> registry.Provider:
    provider = registry.get(kind)
    if provider is None:
        known = ", ".join(registry.providers())
        raise ActionError(
            _("unknown kind %(kind)r; one of: %(known)s") % {"kind": kind, "known": known}, field="kind"
        )
    return provider


def _split_options(provider: registry.Provider, given: dict) -> tuple[dict, dict]:
    names = {o.name for o in provider.options}
    unknown = sorted(set(given) - names - {"mapping"})
    if unknown:
        allowed = ", ".join(sorted(names)) or _("none")
        message = _("not an option of %(kind)s (options: %(allowed)s)") % {
            "kind": provider.kind,
            "allowed": allowed,
        }
        raise ActionError(message, field=unknown[0])
    for name, value in given.items():
        if name != "mapping" and not isinstance(value, str):
            raise ActionError(_("must be text"), field=name)
    secrets_ = provider.secret_names
    plain = {k: v.strip() if isinstance(v, str) else v for k, v in given.items() if k not in secrets_}
    secret = {k: v.strip() for k, v in given.items() if k in provider.secret_names}
    if provider.clean_options is not None:
        plain = provider.clean_options(plain)  # e.g. a webhook's mapping, checked on every way in
    return plain, secret


@transaction.atomic
def add_connector(
    org,
    *,
    kind: str,
    actor: Actor,
    name: str = "",
    options: dict | None = None,
    source: LeadSource | None = None,
) -> tuple[Connector, dict]:
    """A new connector; returns it and the secrets generated for it (to show once)."""
    provider = _provider(kind)
    plain, secret = _split_options(provider, dict(options or {}))
    generated = {}
    for option in provider.options:
        present = (secret if option.secret else plain).get(option.name)
        if present:
            continue
        if option.generate:
            value = random_secrets.token_urlsafe(24)
            (secret if option.secret else plain)[option.name] = value
            generated[option.name] = value
        elif option.required:
            raise ActionError(_("required for %(name)s") % {"name": provider.label}, field=option.name)
    if source is not None and source.organisation_id != org.pk:
        raise ActionError(_("unknown source"), field="source", status_code=404)
    if source is None and provider.category == "leads":
        # Leads need a source for attribution and for the assignment rules of that source.
        source = source_named(org, provider.label, actor=actor)
    connector = Connector(
        organisation=org,
        kind=provider.kind,
        name=_new_name(org, provider, name),
        options=plain,
        source=source,
    )
    connector.secrets = secret
    connector.save()
    record(
        "integration.add",
        organisation=org,
        actor=actor,
        obj=connector,
        changes={"kind": provider.kind, "options": sorted({**plain, **secret})},
    )
    return connector, generated


def _free_name(org_id: int, name: str, *, but: int | None = None) -> str:
    """``name``, unless another connector of the organisation has it (in any case): refused,
    naming the field, as two connectors called alike cannot be told apart on the list."""
    name = name.strip()[:80]
    if Connector.objects.filter(organisation_id=org_id, name__iexact=name).exclude(pk=but).exists():
        message = _("another connector is already called “%(name)s”: give this one another name") % {
            "name": name
        }
        raise ActionError(message, field="name")
    return name


def _new_name(org, provider: registry.Provider, given: str) -> str:
    """The name typed (refused when taken), or when none was the provider's label, numbered
    past the ones taken ("Exotel 2"): a second connector of a kind added without a name."""
    if given and given.strip():
        return _free_name(org.pk, given)
    names = Connector.objects.filter(organisation_id=org.pk).values_list("name", flat=True)
    taken = {n.lower() for n in names}
    number = 1
    while (candidate := provider.label if number == 1 else f"{provider.label} {number}").lower() in taken:
        number += 1
    return candidate


@transaction.atomic
def update_connector(
    connector: Connector,
    *,
    actor: Actor,
    name: str | None = None,
    options: dict | None = None,
    is_active: bool | None = None,
    source: LeadSource | None = None,
) -> Connector:
    """Change a connector. An option left empty keeps its value (a secret is never shown back,
    so an empty box means "unchanged")."""
    provider = _provider(connector.kind)
    changed = []
    if name is not None and name.strip()[:80] != connector.name:
        # None: not asked to change; "": asked to clear it, which would leave nothing to tell
        # the connectors apart by (and the page used to say "saved" and keep the old one).
        if not name.strip():
            raise ActionError(_("a connector needs a name"), field="name")
        connector.name = _free_name(connector.organisation_id, name, but=connector.pk)
        changed.append("name")
    if is_active is not None and is_active != connector.is_active:
        connector.is_active = is_active
        changed.append("is_active")
    if source is not None and source.pk != connector.source_id:
        if source.organisation_id != connector.organisation_id:
            raise ActionError(_("unknown source"), field="source", status_code=404)
        connector.source = source
        changed.append("source")
    if options:
        plain, secret = _split_options(provider, options)
        plain = {k: v for k, v in plain.items() if v not in ("", None)}
        secret = {k: v for k, v in secret.items() if v}
        if plain:
            connector.options = {**connector.options, **plain}
        if secret:
            connector.secrets = {**connector.readable_secrets(), **secret}
        changed += sorted({**plain, **secret})
    if changed:
        connector.save()
    record(
        "integration.update",
        organisation=connector.organisation,
        actor=actor,
        obj=connector,
        changes={"fields": changed},
    )
    return connector


@transaction.atomic
def remove_connector(connector: Connector, *, actor: Actor) -> None:
    """Delete a connector and its payload log; the leads it made stay."""
    record(
        "integration.remove",
        organisation=connector.organisation,
        actor=actor,
        obj=connector,
        changes={"kind": connector.kind},
    )
    connector.delete()


def receive_payload(
    connector: Connector,
    external_id,
    body,
    *,
    is_test: bool = False,
    process: bool = True,
    failed: dict | str = "",
) -> tuple[Payload, bool]:
    """Log what a provider sent, once per external id: a repeat answers the first payload
    (created False) and stores nothing. Recording fields are dropped before anything else.
    The processing is queued for the worker when the transaction commits. ``failed``: a body
    the provider's handler could not read, kept as failed with that reason (and not processed)
    so the admin sees what came — as what to say (``stored(gettext_noop(…))``), read in each
    reader's language; plain words are shown as they are."""
    external_id = str(external_id or "").strip()[:200]
    said = failed if isinstance(failed, dict) else (recipe_of(failed) or {})
    failed = english(said) if said else failed
    body = without_recordings(body)
    # No look-up before the insert: the unique constraint (organisation, connector, external id)
    # refuses a repeat, whose savepoint then undoes nothing else (the insert is the first write),
    # and the first payload is read. A look-up first cost every delivery a statement for the
    # one in twenty that is a retry (the Facebook bench).
    try:
        with transaction.atomic():
            payload = Payload.objects.create(
                organisation_id=connector.organisation_id,
                connector=connector,
                external_id=external_id,
                body=body,
                is_test=is_test,
                status=PayloadStatus.FAILED if failed else PayloadStatus.RECEIVED,
                error=failed[:1000],
                error_said=said,
            )
            health.note_received(connector, payload.received_at)
            if failed:
                health.note_error(connector, failed, payload.received_at, said=said)
            record(
                "integration.receive",
                organisation=connector.organisation,
                actor=Actor.system(),
                obj=payload,
                changes={"connector": connector.pk, "test": is_test, "readable": not failed},
            )
            if process and not failed:
                # In the payload's own transaction, not after its commit: the job is a row of
                # the same database, so the two are written together. Queued after the commit,
                # a process killed between the two (a worker pulling IndiaMART, the OOM killer)
                # left a payload stored and never processed, and a repeat of it answers the first
                # payload without queuing anything. The worker cannot see the job before the
                # commit, so it never finds a payload that is not there yet.
                process_payload_job.enqueue(payload.pk)
    except IntegrityError:
        # A provider's retry (or its race with the first delivery): the first one stands.
        if not external_id:
            raise
        first = Payload.objects.get(
            organisation_id=connector.organisation_id, connector=connector, external_id=external_id
        )
        return first, False
    return payload, True


def _lead_from(payload: Payload, mapped: Mapped):
    connector = payload.connector
    org = connector.organisation
    data = mapped.data
    if not data.phones:
        raise MappingError(_("no phone number in the lead"))
    data.source = connector.source
    data.extra = {**data.extra, "attribution": mapped.attribution}
    is_test = payload.is_test or mapped.is_test
    if is_test:
        data.tags = [*data.tags, TEST_TAG]
    lead, outcome = create_lead(org, data, actor=Actor.system(), by=None, on_duplicate="skip")
    said = "\n".join(x for x in (mapped.attribution, mapped.notes) if x)
    if outcome == "created":
        if said:
            Activity.objects.create(
                organisation=org,
                lead=lead,
                kind=ActivityKind.NOTE,
                body=said[:10_000],
                data={"integration": connector.pk, "payload": payload.pk},
            )
        return lead, PayloadStatus.DONE
    # Already a lead: a "came back" on its timeline and a word to its owner, not a duplicate.
    # Its first sentence is kept as what to say, read in the reader's language (lib/stored_text).
    came_back = stored(gettext_noop("Came back through %(name)s."), name=mapped.attribution or connector.name)
    Activity.objects.create(
        organisation=org,
        lead=lead,
        kind=ActivityKind.NOTE,
        body=f"{english(came_back)}\n{mapped.notes}".strip(),
        data={"came_back": connector.pk, "payload": payload.pk, "said": came_back},
    )
    if lead.owner_id:
        notify(
            organisation_id=org.pk,
            user_id=lead.owner_id,
            text=later(
                gettext_lazy("%(lead)s came back through %(name)s"), lead=str(lead), name=connector.name
            ),
            url=f"/leads/{lead.pk}/",
            kind=PushKind.OTHER,
            lead_id=lead.pk,
        )
    return lead, PayloadStatus.DUPLICATE


# A payload whose cause may pass by itself is tried again after these many minutes, then failed.
RETRY_MINUTES = (1, 5, 30)


def _reason(words) -> dict:
    """An error as what to say (lib/stored_text.py): the recipe gettext recorded for ``words``
    (inside recording()), else the words themselves, shown as they are to every reader."""
    return recipe_of(words) or stored("%(words)s", words=str(words))


def _joined(reasons: list) -> dict | None:
    """The reasons joined with "; " as what to say, each kept with its recipe (a join of the
    words would be English words only); None when there are none."""
    said = None
    for reason in reasons:
        said = (
            stored("%(words)s", words=reason)
            if said is None
            else stored("%(before)s; %(words)s", before=said, words=reason)
        )
    return said


def _later(payload: Payload, reason: dict) -> bool:
    """Queue the payload again for a passing cause; False once its tries are used up."""
    if payload.attempts > len(RETRY_MINUTES):
        return False
    minutes = RETRY_MINUTES[payload.attempts - 1]
    said = stored(
        gettext_noop("%(reason)s (trying again in %(minutes)s min)"), reason=reason, minutes=minutes
    )
    payload.error, payload.error_said = english(said)[:1000], said
    payload.save(update_fields=["error", "error_said", "attempts"])
    health.note_error(payload.connector, payload.error, said=said)
    when = timezone.now() + dt.timedelta(minutes=minutes)
    transaction.on_commit(lambda: process_payload_job.using(run_after=when).enqueue(payload.pk))
    return True


def _fail(payload: Payload, reason: dict) -> None:
    payload.status, payload.processed_at = PayloadStatus.FAILED, timezone.now()
    payload.error, payload.error_said = english(reason)[:1000], reason
    payload.save(update_fields=["status", "error", "error_said", "processed_at", "attempts"])
    health.note_error(payload.connector, payload.error, said=reason)


def process_payload(payload: Payload) -> Payload:
    """Turn a received payload into a lead (or whatever its provider makes of it). A failure
    is kept on the payload and the connector's health in plain words, for a replay; one that
    may pass by itself (MappingError(retry=True)) is tried again later, RETRY_MINUTES apart."""
    if payload.status in (PayloadStatus.DONE, PayloadStatus.DUPLICATE):
        return payload  # the worker ran it twice
    provider = registry.get(payload.connector.kind)
    payload.attempts += 1
    lead = None
    try:
        # recording(): an error's words are also kept as what to say, for the payload log and the
        # connector's health to read in their reader's language (the English is the record).
        with recording(), transaction.atomic():
            if provider is None:
                raise MappingError(
                    _("no provider for %(kind)r on this server") % {"kind": payload.connector.kind}
                )
            if provider.process is not None:
                lead, status = provider.process(payload), PayloadStatus.DONE
            else:
                mapped = provider.to_lead(payload)
                lead, status = _lead_from(payload, mapped)
            left_out = _joined(mapped.left_out) if provider.process is None else None
            payload.status, payload.lead = status, lead
            said = stored(gettext_noop("Made without %(left_out)s"), left_out=left_out) if left_out else {}
            payload.error, payload.error_said = (english(said)[:1000] if said else ""), said
            payload.processed_at = timezone.now()
            payload.save(update_fields=["status", "error", "error_said", "lead", "processed_at", "attempts"])
    except MappingError as exc:
        reason = _reason(exc.args[0] if exc.args else str(exc))
        if not (exc.retry and _later(payload, reason)):
            _fail(payload, reason)
    except SecretsUnreadable as exc:
        _fail(payload, _reason(exc.args[0] if exc.args else str(exc)))
    except ActionError as exc:
        why = _reason(exc.message)
        _fail(payload, stored("%(field)s: %(why)s", field=exc.field, why=why) if exc.field else why)
    except Exception as exc:  # noqa: BLE001 — a bug must not leave the payload waiting forever
        log.exception("payload %s failed", payload.pk)
        _fail(
            payload,
            stored(gettext_noop("internal error (%(kind)s); replay it once fixed"), kind=type(exc).__name__),
        )
    record(
        "integration.process",
        organisation=payload.connector.organisation,
        actor=Actor.system(),
        obj=payload,
        changes={"status": payload.status, "lead": payload.lead_id},
    )
    return payload


@transaction.atomic
def replay_payload(payload: Payload, *, actor: Actor) -> Payload:
    """Queue a failed payload again (after its mapping or token was fixed), for the worker:
    processing may call the provider (Facebook's Graph API, up to the HTTP timeout), which a
    request must not wait for. The job is queued in the same transaction as the status change,
    as receive_payload does: both are written or neither, so a payload is never left
    'waiting' without its job. Only a failed payload is replayed, under its row lock: a second
    replay (a double click, two admins) finds it waiting or done and changes nothing."""
    locked = (
        Payload.objects.select_for_update().filter(pk=payload.pk).values_list("status", flat=True).first()
    )
    if locked != PayloadStatus.FAILED:
        raise ActionError(_("only a failed payload can be replayed"), field="status", status_code=409)
    # A fresh set of tries: the cause was fixed, a passing one (Facebook's 5xx) may come again.
    payload.status, payload.error, payload.error_said, payload.attempts = PayloadStatus.RECEIVED, "", {}, 0
    payload.save(update_fields=["status", "error", "error_said", "attempts"])
    record(
        "integration.replay",
        organisation=payload.connector.organisation,
        actor=actor,
        obj=payload,
        changes={"connector": payload.connector_id},
    )
    process_payload_job.enqueue(payload.pk)
    return payload


# A task object, not a function: the worker's entry point, kept beside the action it runs so
# that actions (which queue it) and tasks (which schedule) do not import each other.
@task()
def process_payload_job(payload_id: int) -> str:
    payload = Payload.objects.select_related("connector__organisation").filter(pk=payload_id).first()
    if payload is None:
        return "gone"  # purged or erased before the worker got to it
    return process_payload(payload).status
