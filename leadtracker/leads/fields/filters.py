"""The lead list's filters on custom fields: ``field=<key>:<op>[:<value>]``, repeatable.

  eq:<value>            equals (a multiple choice: holds it)
  in:<a>|<b>|…          one of (a multiple choice: holds any of them)
  range:<from>..<to>    numbers, money (12L, 1.2Cr) and dates; either end may be left open
  empty / filled        no value / any value

Each value is checked as the field's type (a bad one names ``field`` and the reason). A key
the person may not see — another organisation's, or hidden from agents — is refused as unknown.
"""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _

from leadtracker.leads.fields.models import RANGE_TYPES, CustomField, FieldType
from leadtracker.leads.fields.values import clean_value
from leadtracker.lib.errors import ActionError

HELP = (
    "filters on custom fields, repeatable: `<key>:eq:<value>`, `<key>:in:<a>|<b>`, "
    "`<key>:range:<from>..<to>` (numbers, money such as 40L or 1.2Cr, dates YYYY-MM-DD; either end "
    "may be left out), `<key>:empty`, `<key>:filled`. Example: `field=bhk:eq:2&field=budget:range:40L..60L`"
)
OPS = {"eq", "in", "range", "empty", "filled"}


def _refuse(reason: str) -> ActionError:
    return ActionError(reason, field="field", status_code=422)


def parse(spec: str) -> tuple[str, str, str]:
    key, _sep, rest = spec.partition(":")
    op, _sep, arg = rest.partition(":")
    if op not in OPS:
        raise _refuse(_("%r: say <key>:eq|in|range|empty|filled[:value]") % spec)
    if op in ("eq", "in", "range") and not arg:
        raise _refuse(_("%(spec)r: give a value after %(op)s:") % {"spec": spec, "op": op})
    return key, op, arg


def _value(field: CustomField, text: str, region: str):
    try:
        value = clean_value(field, text, region)
    except ActionError as exc:
        raise _refuse(f"{field.key}: {exc.message}") from None
    if value is None:
        raise _refuse(_("%s: give a value") % field.key)
    return value


def _holds_any(key: str, values: list) -> Q:
    """PostgreSQL: jsonb containment, one per value (SQLite has none: apply() reads the list's
    elements with json_each instead)."""
    q = Q()
    for v in values:
        q |= Q(custom_fields__contains={key: [v]})
    return q


def _condition(field: CustomField, op: str, arg: str, region: str):
    # Keys never name a lookup (fields/actions.py refuses them), so the key can go in the path.
    path = f"custom_fields__{field.key}"
    if op in ("empty", "filled"):
        return Q(**{f"{path}__isnull": op == "empty"})
    if op in ("eq", "in"):
        texts = [arg] if op == "eq" else [t for t in arg.split("|") if t.strip()]
        if field.type == FieldType.MULTIPLE_CHOICE:
            return ("raw", [v for t in texts for v in _value(field, t, region)])
        values = [_value(field, t, region) for t in texts]
        return Q(**{path: values[0]}) if len(values) == 1 else Q(**{f"{path}__in": values})
    if field.type not in RANGE_TYPES:
        raise _refuse(_("%s: a range needs a number, money or date field") % field.key)
    low, sep, high = arg.partition("..")
    if not sep:
        raise _refuse(_("%s: say <from>..<to>") % field.key)
    if not (low.strip() or high.strip()):
        raise _refuse(_("%s: give at least one end of the range") % field.key)
    q = Q()
    if low.strip():
        q &= Q(**{f"{path}__gte": _value(field, low, region)})
    if high.strip():
        q &= Q(**{f"{path}__lte": _value(field, high, region)})
    return q


def apply(qs: QuerySet, specs: list[str], fields: list[CustomField], region: str) -> QuerySet:
    """``qs`` narrowed by each spec; ``fields`` are those the person may see (selectors.fields_for)."""
    if not specs:
        return qs
    by_key = {f.key: f for f in fields}
    for spec in specs:
        key, op, arg = parse(spec)
        field = by_key.get(key)
        if field is None:
            raise _refuse(_("%r: no such field") % key)
        cond = _condition(field, op, arg, region)
        if isinstance(cond, tuple):
            values = cond[1]
            if connection.vendor == "postgresql":
                qs = qs.filter(_holds_any(key, values))
            else:
                marks = ", ".join(["%s"] * len(values))
                # Only placeholders are formatted in; the key and values go as parameters.
                where = f"value IN ({marks})"
                sql = f'EXISTS (SELECT 1 FROM json_each("leads_lead"."custom_fields", %s) WHERE {where})'  # noqa: S608
                qs = qs.extra(where=[sql], params=[f'$."{key}"', *values])  # noqa: S610  (values are params)
        else:
            qs = qs.filter(cond)
    return qs


# --- the web list's filter sheet ---------------------------------------------------------
# Inputs named cf_<key> (a choice, "-" for none), cf_<key>_from and cf_<key>_to (a range),
# turned into the specs above; ?field=<spec> works on the web too, as in the API.


def form_specs(params, fields: list[CustomField]) -> list[str]:
    specs = [s for s in params.getlist("field") if s]
    for f in fields:
        if f.type in RANGE_TYPES:
            low, high = params.get(f"cf_{f.key}_from", "").strip(), params.get(f"cf_{f.key}_to", "").strip()
            if low or high:
                specs.append(f"{f.key}:range:{low}..{high}")
        elif f.type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.YES_NO):
            value = params.get(f"cf_{f.key}", "").strip()
            if value == "-":
                specs.append(f"{f.key}:empty")
            elif value:
                specs.append(f"{f.key}:eq:{value}")
    return specs


def form_rows(params, fields: list[CustomField]) -> list[dict]:
    """What the filter sheet shows for each field it can filter on, filled from the address."""
    rows = []
    for f in fields:
        if f.type in RANGE_TYPES:
            rows.append(
                {
                    "field": f,
                    "range": True,
                    "from": params.get(f"cf_{f.key}_from", ""),
                    "to": params.get(f"cf_{f.key}_to", ""),
                }
            )
        elif f.type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.YES_NO):
            choices = f.choices if f.type != FieldType.YES_NO else ["yes", "no"]
            rows.append({"field": f, "choices": choices, "value": params.get(f"cf_{f.key}", "")})
    return rows


def apply_web(qs: QuerySet, params, fields: list[CustomField], region: str) -> tuple[QuerySet, str]:
    """The list narrowed by the sheet's custom filters, and the reason when one could not be
    read (the page says it and lists without that filter)."""
    try:
        return apply(qs, form_specs(params, fields), fields, region), ""
    except ActionError as exc:
        return qs, exc.message


SORT_NAME = "custom_sort"


def sorted_by(qs: QuerySet, key: str, fields: list[CustomField]) -> QuerySet:
    """``qs`` with the field's value as ``custom_sort``, for the list's keyset sort (leads
    without a value last, as for the built-in sorts)."""
    if key not in {f.key for f in fields}:
        raise ActionError(_("%r: no such field") % key, field="sort", status_code=422)
    return qs.annotate(**{SORT_NAME: KeyTransform(key, "custom_fields")})


def sort_choices(fields: list[CustomField]) -> list[tuple[str, str]]:
    """The web list's extra sorts: numbers and money highest first, dates earliest first."""
    out = []
    for f in fields:
        if f.type in (FieldType.NUMBER, FieldType.MONEY):
            out.append((f"-fields.{f.key}", _("%s, highest first") % f.label))
        elif f.type == FieldType.DATE:
            out.append((f"fields.{f.key}", _("%s, earliest first") % f.label))
    return out
