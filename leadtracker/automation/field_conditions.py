"""A rule's conditions on the organisation's custom fields (``conditions["fields"]``).

Each is ``{"key": "budget", "op": …}`` with ``op``:

  eq   ``value``           a choice, yes/no, a number or money equals it (a multiple choice holds it)
  in   ``values``          one of them (a multiple choice holds any of them)
  range ``from``/``to``    numbers, money and dates, either end may be left out
  empty / filled           no value / any value

Values are checked and stored in the field's own stored form (fields/values.py: "40L" is
4000000), so a lead's value compares as it is. A field archived after the rule was saved makes
its condition fail — never pass — and the rule page says so: a rule must not start acting on
every lead because the field it tested went away.

The periodic scan narrows its due leads through the lead list's own filters (fields/filters.py,
the per-key expression index on PostgreSQL); an event tests the one lead in Python."""

from django.utils.translation import gettext as _

from leadtracker.leads.fields.filters import apply
from leadtracker.leads.fields.models import RANGE_TYPES, CustomField, FieldType
from leadtracker.leads.fields.values import clean_value
from leadtracker.lib.errors import ActionError
from leadtracker.lib.money import short_money

OPS = ("eq", "in", "range", "empty", "filled")
EQ_TYPES = (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.YES_NO, FieldType.NUMBER, FieldType.MONEY)
IN_TYPES = (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)
MAX = 10


def _err(label: str, key: str, message: str) -> ActionError:
    place = _("Conditions → %(field)s") % {"field": label}
    return ActionError(
        f"{place}: {message}", field=f"conditions.fields.{key}" if key else "conditions.fields"
    )


def _one(field: CustomField, raw, region: str):
    try:
        value = clean_value(field, raw, region)
    except ActionError as exc:
        raise _err(field.label, field.key, exc.message) from None
    if value is None:
        raise _err(field.label, field.key, _("give a value"))
    if field.type == FieldType.MULTIPLE_CHOICE and isinstance(value, list):
        if len(value) != 1:
            raise _err(field.label, field.key, _("one choice at a time (say several with “one of”)"))
        return value[0]
    return value


def _clean_one(item, defs: dict, region: str) -> dict:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        raise _err(_("Custom field"), "", '{"key": "budget", "op": "range", "from": "40L", "to": "60L"}')
    key, op = item["key"], item.get("op")
    field = defs.get(key)
    if field is None:
        raise _err(_("Custom field"), key, _("no such field %(key)s") % {"key": key})
    if field.archived_at is not None:
        raise _err(field.label, key, _("this field is archived"))
    if op not in OPS:
        raise _err(field.label, key, _("equals, one of, between, empty or filled"))
    if op in ("empty", "filled"):
        return {"key": key, "op": op}
    if op == "eq":
        if field.type not in EQ_TYPES:
            raise _err(field.label, key, _("“equals” is for a choice, yes/no, number or money field"))
        return {"key": key, "op": op, "value": _one(field, item.get("value"), region)}
    if op == "in":
        if field.type not in IN_TYPES:
            raise _err(field.label, key, _("“one of” is for a choice field"))
        raw = item.get("values")
        raw = raw if isinstance(raw, list) else [v for v in str(raw or "").split("|") if v.strip()]
        values = [_one(field, v, region) for v in raw]
        if not values:
            raise _err(field.label, key, _("pick at least one choice"))
        return {"key": key, "op": op, "values": [c for c in field.choices if c in values]}
    if field.type not in RANGE_TYPES:
        raise _err(field.label, key, _("“between” is for a number, money or date field"))
    low, high = item.get("from"), item.get("to")
    out = {"key": key, "op": op}
    if low not in (None, ""):
        out["from"] = _one(field, low, region)
    if high not in (None, ""):
        out["to"] = _one(field, high, region)
    if "from" not in out and "to" not in out:
        raise _err(field.label, key, _("give at least one end of the range"))
    if "from" in out and "to" in out and out["from"] > out["to"]:
        raise _err(field.label, key, _("the first end is above the second"))
    return out


def clean_field_conditions(org_id: int, region: str, data) -> list[dict]:
    """``data`` checked against the organisation's fields, in their stored form."""
    if data in (None, "", []):
        return []
    if not isinstance(data, list) or len(data) > MAX:
        raise _err(_("Custom field"), "", _("a list of up to %(n)s conditions") % {"n": MAX})
    keys = [i.get("key") for i in data if isinstance(i, dict)]
    defs = {f.key: f for f in CustomField.objects.filter(organisation_id=org_id, key__in=keys)}
    return [_clean_one(item, defs, region) for item in data]


def field_defs(org_id: int, conditions: dict) -> dict[str, CustomField]:
    keys = [c["key"] for c in conditions.get("fields") or []]
    return (
        {f.key: f for f in CustomField.objects.filter(organisation_id=org_id, key__in=keys)} if keys else {}
    )


def usable(conds: list[dict], defs: dict) -> bool:
    """False when a condition's field is archived or gone: the rule then matches nothing."""
    return all(c["key"] in defs and defs[c["key"]].archived_at is None for c in conds)


def holds(cond: dict, values: dict) -> bool:
    """One condition against a lead's stored values."""
    value = values.get(cond["key"])
    if cond["op"] in ("empty", "filled"):
        return (value in (None, "", [])) == (cond["op"] == "empty")
    if value in (None, "", []):
        return False
    many = value if isinstance(value, list) else [value]
    if cond["op"] == "eq":
        return cond["value"] in many
    if cond["op"] == "in":
        return any(v in cond["values"] for v in many)
    try:
        return ("from" not in cond or value >= cond["from"]) and ("to" not in cond or value <= cond["to"])
    except TypeError:  # a value stored before the field's type was what it is now
        return False


def all_hold(conds: list[dict], defs: dict, values: dict | None) -> bool:
    return usable(conds, defs) and all(holds(c, values or {}) for c in conds)


def _spec_value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def specs(conds: list[dict]) -> list[str]:
    """The conditions as the lead list's filters (``budget:range:4000000..6000000``)."""
    out = []
    for c in conds:
        if c["op"] in ("empty", "filled"):
            out.append(f"{c['key']}:{c['op']}")
        elif c["op"] == "eq":
            out.append(f"{c['key']}:eq:{_spec_value(c['value'])}")
        elif c["op"] == "in":
            out.append(f"{c['key']}:in:{'|'.join(_spec_value(v) for v in c['values'])}")
        else:
            out.append(f"{c['key']}:range:{_spec_value(c.get('from', ''))}..{_spec_value(c.get('to', ''))}")
    return out


def narrow(qs, conds: list[dict], defs: dict, region: str):
    """``qs`` narrowed in the database by the conditions, through the list filters' path; none
    at all when a field is archived (the condition cannot hold)."""
    if not conds:
        return qs
    if not usable(conds, defs):
        return qs.none()
    return apply(qs, specs(conds), list(defs.values()), region)


# --- in words, for the rule page -------------------------------------------------------------


def _shown(field: CustomField | None, value) -> str:
    if field is not None and field.type == FieldType.MONEY:
        return short_money(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def in_words(cond: dict, field: CustomField | None) -> str:
    """ "Budget between ₹40 L and ₹60 L", "BHK is one of 2, 3", "Loan approved is empty"."""
    label = field.label if field is not None else cond["key"]
    op = cond["op"]
    if op == "empty":
        text = _("%(field)s is empty") % {"field": label}
    elif op == "filled":
        text = _("%(field)s is filled in") % {"field": label}
    elif op == "eq":
        text = _("%(field)s is %(value)s") % {"field": label, "value": _shown(field, cond["value"])}
    elif op == "in":
        values = ", ".join(_shown(field, v) for v in cond["values"])
        text = _("%(field)s is one of %(values)s") % {"field": label, "values": values}
    elif "from" in cond and "to" in cond:
        low, high = _shown(field, cond["from"]), _shown(field, cond["to"])
        text = _("%(field)s between %(from)s and %(to)s") % {"field": label, "from": low, "to": high}
    elif "from" in cond:
        text = _("%(field)s at least %(value)s") % {"field": label, "value": _shown(field, cond["from"])}
    else:
        text = _("%(field)s at most %(value)s") % {"field": label, "value": _shown(field, cond["to"])}
    if field is None:
        return _("%(condition)s (the field is gone: this condition never holds)") % {"condition": text}
    if field.archived_at is not None:
        return _("%(condition)s (archived field: this condition never holds)") % {"condition": text}
    return text


def describe(org_id: int, conditions: dict) -> list[dict]:
    """[{"text", "broken"}] for each custom-field condition of a rule."""
    defs = field_defs(org_id, conditions)
    return [
        {
            "text": in_words(c, defs.get(c["key"])),
            "broken": c["key"] not in defs or defs[c["key"]].archived_at is not None,
        }
        for c in conditions.get("fields") or []
    ]
