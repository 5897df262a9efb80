"""Custom fields in Django forms: the settings page's field form, and each custom field added
to the new-lead and edit forms as ``fields.<key>`` — the name the actions' errors carry, so a
refusal lands under its own input."""

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leadtracker.leads.fields.actions import (
    MAX_FIELDS,
    _built_in_name,
    _too_many_choices,
    _too_many_fields,
    key_from,
)
from leadtracker.leads.fields.models import CustomField, FieldType
from leadtracker.leads.fields.values import BadValue, clean_value
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.widgets import PhoneInput

YES_NO = [("", "—"), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


_POSITION = gettext_lazy("A whole number from 0 to 100000.")


class FieldForm(forms.Form):
    label = forms.CharField(
        max_length=100,
        label=gettext_lazy("Name"),
        error_messages={"required": gettext_lazy("Give the field a name.")},
    )
    type = forms.ChoiceField(choices=FieldType.choices, required=False, label=gettext_lazy("Type"))
    choices = forms.CharField(
        required=False,
        label=gettext_lazy("Choices"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For a choice field: one choice a line."),
    )
    section = forms.CharField(
        max_length=60,
        required=False,
        label=gettext_lazy("Section"),
        help_text=gettext_lazy("Fields of one section show together."),
    )
    position = forms.IntegerField(
        required=False,
        label=gettext_lazy("Position"),
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _POSITION, "min_value": _POSITION, "max_value": _POSITION},
    )
    required = forms.BooleanField(required=False, label=gettext_lazy("Required"))
    hidden_from_agents = forms.BooleanField(required=False, label=gettext_lazy("Hidden from agents"))

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


def edit_form(f: CustomField, data=None) -> FieldForm:
    """The settings page's form to change one field: its key and type stay, so no type box;
    choices only for a choice field. Ids carry the field's pk (one page holds many)."""
    form = FieldForm(
        data,
        auto_id=f"f{f.pk}-%s",
        initial={
            "label": f.label,
            "choices": "\n".join(f.choices or []),
            "section": f.section,
            "position": f.position,
            "required": f.required,
            "hidden_from_agents": f.hidden_from_agents,
        },
    )
    del form.fields["type"]
    if not f.choices:
        del form.fields["choices"]
    form.field_pk = f.pk
    return form


def say_refusal(form: FieldForm, exc: ActionError) -> None:
    """The action's refusal in words, beside the input it is about. The actions speak to the
    API (``key``, ``choices``); the page has no key box — the key is made from the name."""
    label = form.cleaned_data.get("label", "")
    if exc.field == "choices" and exc.message == _too_many_choices():
        form.add_error("choices", f"{exc.message.capitalize()}.")
    elif exc.field == "choices":
        form.add_error("choices", _("Add at least one choice, one a line."))
    elif exc.field == "label":
        form.add_error("label", _("Give the field a name."))
    elif exc.field == "type":
        form.add_error(None, _("Choose a type."))
    elif exc.field == "key" and isinstance(exc, Conflict):
        other = CustomField.objects.filter(key=key_from(label)).only("label", "archived_at")
        other = other.filter(organisation_id=getattr(form, "org_id", None)).first()
        named = other.label if other else label
        if other and other.archived_at:
            said = _("A field named %(name)s exists already (archived: restore it below).")
        else:
            said = _("A field named %(name)s exists already.")
        form.add_error("label", said % {"name": named})
    elif exc.field == "key" and exc.message == _too_many_fields():
        form.add_error(
            None, _("There are %s fields, the most there can be (archived ones count).") % MAX_FIELDS
        )
    elif exc.field == "key" and exc.message == _built_in_name():
        form.add_error("label", _("%s is the name of a built-in field: choose another.") % label)
    elif exc.field == "key":
        form.add_error(
            "label",
            _(
                "Start the name with an English letter (a–z): the field's key, used by imports "
                "and the API, is made from it."
            ),
        )
    else:
        form.add_error(None, exc.message[:1].upper() + exc.message[1:])


def _form_field(f: CustomField, current) -> forms.Field:
    common = {"label": f"{f.label} (₹)" if f.type == FieldType.MONEY else f.label, "required": False}
    if f.type == FieldType.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), **common)
    if f.type in (FieldType.NUMBER, FieldType.MONEY):
        # Text, not a number input: money may be typed "45 L"; the action checks it.
        return forms.CharField(
            max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    if f.type == FieldType.CHOICE:
        choices = list(f.choices) + ([current] if current and current not in f.choices else [])
        return forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in choices], **common)
    if f.type == FieldType.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in f.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if f.type == FieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if f.type == FieldType.PHONE:
        return forms.CharField(max_length=64, widget=PhoneInput(), **common)
    if f.type == FieldType.EMAIL:
        return forms.CharField(
            max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"}), **common
        )
    if f.type == FieldType.YES_NO:
        return forms.ChoiceField(choices=YES_NO, **common)
    return forms.CharField(max_length=500, **common)


def _initial(f: CustomField, value):
    if value is None:
        return None
    if f.type == FieldType.YES_NO:
        return "yes" if value else "no"
    if f.type == FieldType.DATE:
        return dt.date.fromisoformat(value)
    return value


# Typed in free text: checked by the form too, so every bad value is said at once (the action
# stops at the first); the other types' inputs are checked by their form fields.
_CHECKED = (FieldType.NUMBER, FieldType.MONEY, FieldType.PHONE, FieldType.EMAIL, FieldType.TEXT)


def _checked_by(f: CustomField):
    def check(value):
        region = f.organisation.phone_region if f.type == FieldType.PHONE else "IN"
        try:
            clean_value(f, value, region)
        except BadValue as exc:
            raise forms.ValidationError(exc.message) from None

    return check


def add_custom_fields(form: forms.Form, fields: list[CustomField], values: dict | None = None) -> None:
    """``values``: the lead's (an edit), None for a new lead. A required field must be filled
    on a new lead, and on an edit only if it was (clean.py's rule), said beside it with the rest."""
    new, values = values is None, values or {}
    for f in fields:
        name = f"fields.{f.key}"
        form.fields[name] = _form_field(f, values.get(f.key))
        form.fields[name].custom = f
        if f.required and (new or f.key in values):
            form.fields[name].required = True
            form.fields[name].error_messages["required"] = "is required"
        if f.type in _CHECKED:
            form.fields[name].validators.append(_checked_by(f))
        if f.key in values:
            form.initial[name] = _initial(f, values[f.key])


def custom_values(form: forms.Form, fields: list[CustomField]) -> dict:
    """What the form says for each custom field, for the actions to check ("" clears)."""
    out = {}
    for f in fields:
        value = form.cleaned_data.get(f"fields.{f.key}")
        out[f.key] = "" if value is None else value
    return out
