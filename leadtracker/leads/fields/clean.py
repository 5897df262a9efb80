"""A lead's incoming custom values checked against the organisation's fields: the one place
the create and update actions, the API, forms, imports and capture pass them through."""

from django.utils.translation import gettext as _

from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.fields.models import CustomField
from leadtracker.leads.fields.values import BadValue, clean_value
from leadtracker.lib.errors import ActionError


def _refused(key: str, reason: str) -> ActionError:
    return ActionError(reason, field=f"fields.{key}", status_code=422)


def hides_from(by: Membership | None) -> bool:
    return by is not None and by.role == Role.AGENT


def clean_custom_fields(
    org,
    incoming: dict | None,
    *,
    current: dict | None = None,
    by: Membership | None = None,
    require: str = "",
    defs: dict | None = None,
) -> dict:
    """The lead's values after ``incoming`` ({key: value}; an empty value clears) is applied
    to ``current``. ``by`` is the person who typed them (None: an import, a capture, the
    system): an agent cannot name a field hidden from agents — it answers as an unknown key,
    as does another organisation's. ``require``: "all" (a new lead from a person) or "given"
    (an edit: a required value cannot be cleared).

    Costs one query (the organisation's fields) when there is something to check, none when
    there is not: the create path's statement budget."""
    incoming = incoming or {}
    out = dict(current or {})
    if not incoming and require != "all":
        return out
    if not isinstance(incoming, dict):
        raise _refused("", _("must be an object of field keys and values"))
    if defs is None:  # an import passes them in: one read for the whole file
        defs = {f.key: f for f in CustomField.objects.filter(organisation_id=org.pk)}
    hidden = hides_from(by)
    for key, raw in incoming.items():
        field = defs.get(key)
        if field is None or (hidden and field.hidden_from_agents):
            raise _refused(key, _("no such field"))
        if field.archived_at is not None:
            raise _refused(key, _("this field is archived"))
        value = clean_value(field, raw, org.phone_region)
        if value is None:
            # An edit may leave a required value empty that was never filled (an imported lead),
            # not empty one that was.
            if field.required and (require == "all" or (require == "given" and key in out)):
                raise BadValue(field, _("is required"))
            out.pop(key, None)
        else:
            out[key] = value
    if require == "all":
        for field in defs.values():
            if field.required and field.archived_at is None and field.key not in out:
                if not (hidden and field.hidden_from_agents):
                    raise BadValue(field, _("is required"))
    return out
