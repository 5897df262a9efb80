"""Writes of custom fields: make, change, archive and bring back; each audited (field.*)."""

import re
import unicodedata

from django.db import IntegrityError, transaction
from django.db.models import JSONField, Max
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.leads.fields.models import CHOICE_TYPES, CustomField, FieldType
from leadtracker.leads.fields.tasks import index_custom_field
from leadtracker.lib.errors import ActionError, Conflict

MAX_FIELDS = 100
MAX_CHOICES = 200
# The built-in names a custom key would shadow in lists, filters and imports' mappings.
RESERVED = {"name", "company", "email", "phone", "phones", "city", "address", "source", "status", "owner"}
RESERVED |= {"value", "tags", "note", "id", "q", "sort", "cursor", "limit", "fields", "extra", "created"}
# A key that names a lookup ("in", "gte", "contains" …) would be read as the lookup in
# custom_fields__<key> filters (fields/filters.py).
RESERVED |= set(KeyTransform.get_lookups()) | set(JSONField.get_lookups())
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
EDITABLE = ("label", "choices", "required", "position", "section", "hidden_from_agents")


def key_from(label: str) -> str:
    """A key made from a label: "Budget (₹)" -> "budget"."""
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")[:40]


# The refusals the settings page words its own way (fields/forms.py say_refusal), told apart
# by their text in whatever language is active.
def _too_many_choices() -> str:
    return _("at most %s choices") % MAX_CHOICES


def _too_many_fields() -> str:
    return _("at most %s fields") % MAX_FIELDS


def _built_in_name() -> str:
    return _("a built-in field has this name")


def _clean_choices(kind: str, choices) -> list[str]:
    if kind not in CHOICE_TYPES:
        return []
    out = []
    for c in choices or []:
        text = str(c).strip()[:100]
        if text and text.lower() not in {o.lower() for o in out}:
            out.append(text)
    if not out:
        raise ActionError(_("a choice field needs at least one choice"), field="choices")
    if len(out) > MAX_CHOICES:
        raise ActionError(_too_many_choices(), field="choices")
    return out


def _clean_label(label: str) -> str:
    label = (label or "").strip()[:100]
    if not label:
        raise ActionError(_("give the field a name"), field="label")
    return label


@transaction.atomic
def create_field(
    org,
    *,
    label: str,
    type: str,
    key: str = "",
    choices=None,
    required: bool = False,
    section: str = "",
    hidden_from_agents: bool = False,
    position: int | None = None,
    actor: Actor,
) -> CustomField:
    label = _clean_label(label)
    if type not in FieldType.values:
        raise ActionError(_("one of %s") % ", ".join(FieldType.values), field="type")
    key = (key or "").strip() or key_from(label)
    if not _KEY.fullmatch(key):
        raise ActionError(_("lower-case letters, digits and _, starting with a letter"), field="key")
    if key in RESERVED:
        raise ActionError(_built_in_name(), field="key")
    existing = CustomField.objects.filter(organisation_id=org.pk)
    if existing.count() >= MAX_FIELDS:
        raise ActionError(_too_many_fields(), field="key")
    if position is None:
        position = (existing.aggregate(m=Max("position"))["m"] or 0) + 1
    field = CustomField(
        organisation=org,
        key=key,
        label=label,
        type=type,
        choices=_clean_choices(type, choices),
        required=bool(required),
        section=(section or "").strip()[:60],
        hidden_from_agents=bool(hidden_from_agents),
        position=max(0, position),
    )
    try:
        with transaction.atomic():
            field.save()
    except IntegrityError:
        raise Conflict(_("a field with this key exists"), field="key") from None
    record("field.create", organisation=org, actor=actor, obj=field, changes={"key": key, "type": type})
    # The planner's statistics for the key's filters (fields/indexes.py), built by the worker.
    transaction.on_commit(lambda: index_custom_field.enqueue(key))
    return field


@transaction.atomic
def update_field(field: CustomField, *, actor: Actor, **changes) -> CustomField:
    """Change what a field shows and asks; its key and type stay (the values are keyed and
    typed by them). Dropping a choice leaves the leads that hold it as they are."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ActionError(_("this cannot be changed"), field=sorted(unknown)[0])
    if "label" in changes:
        changes["label"] = _clean_label(changes["label"])
    if "choices" in changes:
        changes["choices"] = _clean_choices(field.type, changes["choices"])
    if "section" in changes:
        changes["section"] = (changes["section"] or "").strip()[:60]
    if "position" in changes:
        changes["position"] = max(0, int(changes["position"]))
    changed = sorted(k for k, v in changes.items() if getattr(field, k) != v)
    for name in changed:
        setattr(field, name, changes[name])
    if changed:
        field.save(update_fields=changed)
        record(
            "field.update",
            organisation=field.organisation,
            actor=actor,
            obj=field,
            changes={"fields": changed},
        )
    return field


@transaction.atomic
def archive_field(field: CustomField, *, actor: Actor) -> CustomField:
    """Out of forms, lists and filters; the leads keep their values."""
    if field.archived_at is None:
        field.archived_at = timezone.now()
        field.save(update_fields=["archived_at"])
        record("field.archive", organisation=field.organisation, actor=actor, obj=field)
    return field


@transaction.atomic
def restore_field(field: CustomField, *, actor: Actor) -> CustomField:
    if field.archived_at is not None:
        field.archived_at = None
        field.save(update_fields=["archived_at"])
        record("field.restore", organisation=field.organisation, actor=actor, obj=field)
    return field
