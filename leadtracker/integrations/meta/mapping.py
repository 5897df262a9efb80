"""A Graph API lead's ``field_data[{name, values}]`` as lead fields.

Standard questions have fixed names (``full_name``, ``phone_number``, ``email``, ``city``, …);
a connector may add names of its own per form in ``options["mapping"]``:
``{"<form id or *>": {"<question name>": "<lead field>"}}``, a custom field as ``fields.<key>``
(checked as the API checks it; one that does not fit is left out, and the payload says why).
Everything else (custom questions) goes to the lead's first note, question by question.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from leadtracker.integrations.registry import Mapped, MappingError
from leadtracker.leads.actions.leads import LeadData
from leadtracker.leads.fields.incoming import fit, target_key
from leadtracker.lib.stored_text import written_in

STANDARD = {
    "full_name": "name",
    "name": "name",
    "first_name": "first_name",
    "last_name": "last_name",
    "phone_number": "phone",
    "phone": "phone",
    "mobile_number": "phone",
    "whatsapp_number": "phone",
    "email": "email",
    "work_email": "email",
    "city": "city",
    "company_name": "company",
    "street_address": "address",
}
FIELDS = {"name", "first_name", "last_name", "phone", "email", "city", "company", "address", "note"}


def _mapping_for(connector, form_id: str) -> dict:
    mapping = connector.options.get("mapping") or {}
    if not isinstance(mapping, dict):
        return {}
    return {**(mapping.get("*") or {}), **(mapping.get(str(form_id)) or {})}


def lead_of(connector, delivery: dict, lead: dict, form_name: str = "") -> Mapped:
    field_data = lead.get("field_data")
    if not isinstance(field_data, list):
        raise MappingError(_("the lead from Facebook has no field_data"))
    form_id = str(lead.get("form_id") or delivery.get("form_id") or "")
    names = {**STANDARD, **{k.lower(): v for k, v in _mapping_for(connector, form_id).items()}}
    values: dict[str, list[str]] = {}
    custom: dict[str, str] = {}
    answers = []
    for item in field_data:
        if not isinstance(item, dict):
            continue
        question = str(item.get("name") or "")
        given = [str(v).strip() for v in item.get("values") or [] if str(v).strip()]
        if not given:
            continue
        target = names.get(question.lower())
        if (key := target_key(str(target or ""))) is not None:
            custom[key] = ", ".join(given)  # a multiple choice's answers, as an import gives them
        elif target in FIELDS and target != "note":
            values.setdefault(target, []).extend(given)
        else:
            answers.append(f"{question.replace('_', ' ')}: {', '.join(given)}")
    name = " ".join(values.get("name", [])[:1]) or " ".join(
        v[0] for v in (values.get("first_name"), values.get("last_name")) if v
    )
    data = LeadData(
        name=name,
        phones=values.get("phone", []),
        email=(values.get("email") or [""])[0],
        city=(values.get("city") or [""])[0],
        company=(values.get("company") or [""])[0],
        address=(values.get("address") or [""])[0],
    )
    data.custom_fields, left_out = fit(connector.organisation, custom)
    # The first line of the lead's note: in the organisation's language, as words (the note is
    # the lead's own text; lib/stored_text.written_in).
    with written_in(connector.organisation.language or settings.LANGUAGE_CODE):
        named = _("form %(id)s") % {"id": form_id} if form_id else _("a lead form")
        form = form_name or str(named)
    campaign = f", {lead['campaign_name']}" if lead.get("campaign_name") else ""
    return Mapped(
        data=data, attribution=f"Facebook: {form}{campaign}", notes="\n".join(answers), left_out=left_out
    )
