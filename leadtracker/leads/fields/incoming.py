"""Custom values from a connector's field mapping (``fields.budget``): each checked as the API
checks it, and one that does not fit left out with its reason — a lead from a form is never
refused over a secondary column, and the reason is kept where the admin reads the delivery."""

import re

from django.utils.translation import gettext as _

from leadtracker.leads.fields.models import CustomField
from leadtracker.leads.fields.values import clean_value
from leadtracker.lib.errors import ActionError

PREFIX = "fields."
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def target_key(name: str) -> str | None:
    """``"fields.budget"`` → ``"budget"``; None for a name that is not a custom field's target."""
    if not name.startswith(PREFIX):
        return None
    key = name[len(PREFIX) :]
    return key if KEY.fullmatch(key) else None


def fit(org, given: dict[str, str]) -> tuple[dict, list[str]]:
    """The values of ``given`` ({key: text}) that fit their fields, in stored form, and a
    reason for each left out ("fields.budget: 'lots' is not an amount")."""
    given = {k: v for k, v in given.items() if str(v).strip()}
    if not given:
        return {}, []
    defs = {f.key: f for f in CustomField.objects.filter(organisation_id=org.pk, key__in=list(given))}
    kept, reasons = {}, []
    for key, raw in given.items():
        field = defs.get(key)
        if field is None or field.archived_at is not None:
            reasons.append(
                _left_out(key, _("no such field") if field is None else _("this field is archived"))
            )
            continue
        try:
            value = clean_value(field, raw, org.phone_region)
        except ActionError as exc:
            reasons.append(_left_out(key, exc.message))
            continue
        if value is not None:
            kept[key] = value
    return kept, reasons


def _left_out(key: str, reason: str) -> str:
    # gettext'd as one sentence, not an f-string: inside recording() it keeps its recipe, so the
    # payload log reads it in each reader's language (lib/stored_text.py).
    return _("%(name)s: %(error)s") % {"name": f"{PREFIX}{key}", "error": reason}
