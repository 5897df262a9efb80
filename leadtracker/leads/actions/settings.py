"""An organisation's lead settings: statuses, sources and their capture keys, webhooks, message
templates."""

import secrets
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.leads import colours
from leadtracker.leads.actions.leads import change_status
from leadtracker.leads.consent import unsubscribe_url
from leadtracker.leads.models import (
    Lead,
    LeadSource,
    LeadStatus,
    MessageTemplate,
    StatusKind,
    WebhookEndpoint,
)
from leadtracker.leads.webhooks import BlockedAddress, check_destination, new_secret
from leadtracker.lib.errors import ActionError, Conflict


@transaction.atomic
def save_statuses(
    org, rows: list[dict], *, actor: Actor, move_to: dict[int, int] | None = None
) -> list[LeadStatus]:
    """Replace the pipeline: rows of {"id"?, "name", "kind"} in order. A removed status still
    used by leads is hidden, unless ``move_to`` names a status that stays for it ({removed id:
    kept id}, as the web asks): then its leads move there, each with its timeline entry, and
    it is deleted."""
    if not rows:
        raise ActionError(_("the pipeline needs at least one status"), field="statuses")
    names = [(r.get("name") or "").strip() for r in rows]
    if any(not n for n in names):
        raise ActionError(_("every status needs a name"), field="statuses")
    if len(set(n.lower() for n in names)) != len(names):
        raise ActionError(_("two statuses have the same name"), field="statuses")
    if not any(r.get("kind", StatusKind.OPEN) == StatusKind.OPEN for r in rows):
        raise ActionError(_("at least one status must be open"), field="statuses")
    existing = {s.pk: s for s in LeadStatus.objects.filter(organisation=org)}
    kept = []
    # Rename to temporary names first so swaps of names do not trip the unique constraint.
    for s in existing.values():
        LeadStatus.objects.filter(pk=s.pk).update(name=f"~{s.pk}~")
    for position, (row, name) in enumerate(zip(rows, names, strict=True)):
        kind = row.get("kind", StatusKind.OPEN)
        if kind not in StatusKind.values:
            raise ActionError(
                _("kind must be one of %s") % ", ".join(StatusKind.values), field=f"statuses.{position}.kind"
            )
        status = existing.get(row.get("id")) if row.get("id") else None
        if status is None:
            # A hidden status of that name (removed while still in use) comes back, not a twin.
            status = next(
                (
                    x
                    for x in existing.values()
                    if not x.is_active and x.name.lower() == name.lower() and x.pk not in {k.pk for k in kept}
                ),
                None,
            ) or LeadStatus(organisation=org)
        status.name, status.kind, status.position, status.is_active = name, kind, position, True
        status.save()
        kept.append(status)
    kept_ids = {s.pk for s in kept}
    kept_by_id = {s.pk: s for s in kept}
    moved = {}
    for s in existing.values():
        if s.pk in kept_ids:
            continue
        target = kept_by_id.get((move_to or {}).get(s.pk))
        if target is not None:
            # Ids first: rows are not changed under an open cursor (SQLite does not isolate it).
            ids = list(Lead.objects.filter(status=s).values_list("pk", flat=True))
            for start in range(0, len(ids), 500):
                chunk = Lead.objects.filter(pk__in=ids[start : start + 500]).select_related("organisation")
                for lead in chunk:
                    lead.status = s  # its name as it was, for the timeline (the row is renamed above)
                    change_status(lead, target, actor=actor, by=None)
            moved[s.pk] = len(ids)
        if Lead.objects.filter(status=s).exists():
            LeadStatus.objects.filter(pk=s.pk).update(is_active=False, name=s.name, position=len(kept) + s.pk)
        else:
            s.delete()
    changes = {"statuses": [s.pk for s in kept]}
    if moved:
        changes["moved"] = {str(k): {"to": move_to[k], "leads": n} for k, n in moved.items()}
    record(
        "pipeline.update",
        organisation=org,
        actor=actor,
        object_type="pipeline",
        object_id=str(org.pk),
        changes=changes,
    )
    return kept


@transaction.atomic
@transaction.atomic
def set_colours(org, *, statuses: dict[int, str], sources: dict[int, str], actor: Actor) -> int:
    """Paint statuses and sources ({id: colour name}) from the palette; ids not the
    organisation's are refused before anything changes."""
    changed = 0
    for model, wanted, field in ((LeadStatus, statuses, "statuses"), (LeadSource, sources, "sources")):
        if any(c not in colours.PALETTE for c in wanted.values()):
            raise ActionError(
                _("choose a colour of the palette: %s") % ", ".join(colours.PALETTE), field=field
            )
        rows = {r.pk: r for r in model.objects.filter(organisation=org, pk__in=wanted)}
        if set(rows) != set(wanted):
            raise ActionError(_("no such row"), field=field, status_code=404)
        for pk, colour in wanted.items():
            if rows[pk].colour != colour:
                model.objects.filter(pk=pk).update(colour=colour)
                changed += 1
    if changed:
        record(
            "pipeline.colours",
            organisation=org,
            actor=actor,
            object_type="organisation",
            object_id=str(org.pk),
            changes={
                "statuses": {str(k): v for k, v in statuses.items()},
                "sources": {str(k): v for k, v in sources.items()},
            },
        )
    return changed


def create_source(org, name: str, *, actor: Actor) -> LeadSource:
    name = (name or "").strip()
    if not name:
        raise ActionError(_("give the source a name"), field="name")
    if LeadSource.objects.filter(organisation=org, name__iexact=name).exists():
        raise Conflict(_("a source with this name exists"), field="name")
    source = LeadSource.objects.create(organisation=org, name=name[:80])
    record("source.create", organisation=org, actor=actor, obj=source)
    return source


@transaction.atomic
def rename_source(source: LeadSource, name: str, *, actor: Actor) -> LeadSource:
    """Rename a source everywhere at once (the list's filter, the charts, reports): leads point
    at the source, not at its name. Another source's name, in any case, is refused as
    ``create_source`` refuses it; changing only the case of its own name is not."""
    name = (name or "").strip()
    if not name:
        raise ActionError(_("give the source a name"), field="name")
    name = name[:80]
    if name == source.name:
        return source
    clash = LeadSource.objects.filter(organisation_id=source.organisation_id, name__iexact=name)
    if clash.exclude(pk=source.pk).exists():
        raise Conflict(_("a source with this name exists"), field="name")
    try:
        with transaction.atomic():
            LeadSource.objects.filter(pk=source.pk).update(name=name)
    except IntegrityError:  # the same name taken between our look and our write
        raise Conflict(_("a source with this name exists"), field="name") from None
    source.name = name
    record(
        "source.rename",
        organisation=source.organisation,
        actor=actor,
        obj=source,
        changes={"fields": ["name"]},
    )
    return source


def source_named(org, name: str, *, actor: Actor | None = None) -> LeadSource | None:
    """The source with this name, created on first use (imports and captures name sources).
    A source made here is audited as ``create_source`` is; without an actor (an import job,
    a capture form) the system made it."""
    name = (name or "").strip()[:80]
    if not name:
        return None
    source = LeadSource.objects.filter(organisation=org, name__iexact=name).first()
    if source is None:
        source, created = LeadSource.objects.get_or_create(organisation=org, name=name)
        if created:
            record("source.create", organisation=org, actor=actor or Actor.system(), obj=source)
    return source


@transaction.atomic
def save_webhook(org, *, url: str, events: list[str], actor: Actor, endpoint=None, is_active: bool = True):
    """Create or change a webhook endpoint. Only http(s) URLs; a new endpoint gets a secret."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ActionError(_("must be an http:// or https:// address"), field="url")
    try:
        check_destination(url)
    except BlockedAddress as exc:
        raise ActionError(str(exc), field="url") from None
    unknown = sorted(set(events) - set(WebhookEndpoint.EVENTS))
    if unknown or not events:
        raise ActionError(_("choose from %s") % ", ".join(WebhookEndpoint.EVENTS), field="events")
    endpoint = endpoint or WebhookEndpoint(organisation=org, secret=new_secret())
    endpoint.url, endpoint.events, endpoint.is_active = url[:500], sorted(set(events)), is_active
    endpoint.save()
    record("webhook.save", organisation=org, actor=actor, obj=endpoint, changes={"events": endpoint.events})
    return endpoint


@transaction.atomic
def delete_webhook(endpoint, *, actor: Actor) -> None:
    record("webhook.delete", organisation=endpoint.organisation, actor=actor, obj=endpoint)
    endpoint.delete()


@transaction.atomic
def rotate_webhook_secret(endpoint, *, actor: Actor):
    """A new signing secret, in force at once (a leaked one stops being useful the moment it
    is replaced). Deliveries still queued are signed when sent, so they carry the new one;
    the receiver should accept both while it switches over."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    record("webhook.secret", organisation=endpoint.organisation, actor=actor, obj=endpoint)
    return endpoint


@transaction.atomic
def rotate_capture_key(source: LeadSource, *, actor: Actor) -> LeadSource:
    """Turn on web capture for a source, or replace its key (the old one stops at once)."""
    source.capture_key = secrets.token_urlsafe(24)
    source.save(update_fields=["capture_key"])
    record("source.capture_key", organisation=source.organisation, actor=actor, obj=source)
    return source


@transaction.atomic
def disable_capture(source: LeadSource, *, actor: Actor) -> LeadSource:
    source.capture_key = ""
    source.save(update_fields=["capture_key"])
    record("source.capture_off", organisation=source.organisation, actor=actor, obj=source)
    return source


TEMPLATE_PLACEHOLDERS = ("name", "company", "agent", "organisation", "unsubscribe_url")


def render_template(body: str, *, lead: Lead, agent_name: str, organisation_name: str) -> str:
    """Fill the placeholders; an unknown one is left as typed rather than failing."""
    values = {
        "name": lead.name or "",
        "company": lead.company or "",
        "agent": agent_name,
        "organisation": organisation_name,
    }
    if "{unsubscribe_url}" in body:  # signing costs a little: only when the text asks for it
        values["unsubscribe_url"] = unsubscribe_url(lead)
    out = body
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return " ".join(out.split(" ")).strip()


@transaction.atomic
def save_message_template(org, *, name: str, body: str, actor: Actor, template=None):
    name, body = (name or "").strip(), (body or "").strip()
    if not name:
        raise ActionError(_("give the template a name"), field="name")
    if not body or len(body) > 1000:
        raise ActionError(_("write the message (at most 1,000 characters)"), field="body")
    clash = MessageTemplate.objects.filter(organisation=org, name__iexact=name)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise Conflict(_("a template with this name exists"), field="name")
    template = template or MessageTemplate(
        organisation=org, position=MessageTemplate.objects.filter(organisation=org).count()
    )
    template.name, template.body = name[:60], body
    template.save()
    record("message_template.save", organisation=org, actor=actor, obj=template)
    return template


@transaction.atomic
def delete_message_template(template, *, actor: Actor) -> None:
    record("message_template.delete", organisation=template.organisation, actor=actor, obj=template)
    template.delete()
