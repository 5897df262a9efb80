"""Every form of the project, found by walking the code (so a form added later is held to it
too), asks for the keyboard and the autofill its fields need on a phone: the dial pad for a
number, the @ keyboard for an e-mail, digits for a count, the password manager's own words for
a password, the SMS code's autofill for a one-time code; currency and region are picked from
lists, never typed."""

import importlib
import pkgutil
import re
from pathlib import Path

from django import forms
from django.conf import settings

import leadtracker
from leadtracker.lib.widgets import PhoneInput

SKIP_MODULES = re.compile(r"\.(tests|migrations|management)(\.|$)|\.(wsgi|asgi|cli|__main__)$")
PHONE = re.compile(r"(^|_)(phone|phones|mobile|whatsapp)$|^number$")
OTP = {"code", "otp", "totp"}
PICKED = {"currency", "phone_region", "region", "country"}
# An <input> written by hand in a template, template tags inside it included.
INPUT_TAG = re.compile(r"<input\b(?:[^>{]|\{[^}]*\})*>", re.S)
UNSHOWN = (forms.HiddenInput, forms.MultipleHiddenInput, forms.CheckboxInput, forms.Select, forms.FileInput)


def form_classes() -> list[type]:
    for module in pkgutil.walk_packages(leadtracker.__path__, "leadtracker."):
        if not SKIP_MODULES.search(module.name):
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("leadtracker.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def problems_of(name: str, field: forms.Field) -> list[str]:
    widget, attrs = field.widget, field.widget.attrs
    kind = getattr(widget, "input_type", None)
    auto, mode = attrs.get("autocomplete"), attrs.get("inputmode")
    out = []
    if name in PICKED:
        if not isinstance(field, forms.ChoiceField):
            out.append("pick it from a list (ChoiceField), not typed")
        return out
    if isinstance(widget, UNSHOWN) or isinstance(widget, forms.Textarea):
        return out
    if PHONE.search(name) or isinstance(widget, PhoneInput):
        if kind != "tel" or mode != "tel" or auto not in {"tel", "off"}:
            out.append("a phone number: lib/widgets.PhoneInput (type=tel, inputmode=tel, autocomplete)")
    elif isinstance(field, forms.EmailField) or name == "email" or name.endswith("_email"):
        if kind != "email" or auto not in {"email", "username", "off"}:
            out.append("an e-mail: EmailInput with autocomplete=email (off for someone else's)")
    elif isinstance(widget, forms.PasswordInput) or "password" in name:
        if kind != "password" or auto not in {"current-password", "new-password"}:
            out.append("a password: PasswordInput with autocomplete=current-password or new-password")
    elif name in OTP:
        # Numeric, unless the field also takes recovery codes, which have letters.
        if auto != "one-time-code" or mode not in {"numeric", "text"}:
            out.append("a one-time code: autocomplete=one-time-code, inputmode=numeric")
    elif name == "full_name":
        if auto not in {"name", "off"}:
            out.append("a person's name: autocomplete=name (off for someone else's)")
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        if mode != "decimal":
            out.append("an amount: inputmode=decimal")
    elif isinstance(field, forms.IntegerField):
        if mode != "numeric":
            out.append("a whole number: inputmode=numeric")
    return out


def test_the_walk_finds_the_forms_of_every_app():
    names = {f"{c.__module__}.{c.__name__}" for c in form_classes()}
    for expected in (
        "leadtracker.accounts.forms.OrganisationForm",
        "leadtracker.accounts.forms.LoginForm",
        "leadtracker.leads.forms.LeadForm",
        "leadtracker.calls.forms.ManualCallForm",
        "leadtracker.reports.forms.DashboardFilterForm",
    ):
        assert expected in names


def test_the_rules_catch_a_form_that_gets_it_wrong():
    class Careless(forms.Form):
        phone = forms.CharField()
        email = forms.EmailField()
        password = forms.CharField(widget=forms.PasswordInput())
        code = forms.CharField()
        full_name = forms.CharField()
        minutes = forms.IntegerField()
        value = forms.DecimalField()
        currency = forms.CharField(max_length=3)

    found = {name: problems_of(name, field) for name, field in Careless.base_fields.items()}
    assert all(found.values()), found


def test_every_field_of_every_form_asks_for_the_right_keyboard():
    found = []
    for form in form_classes():
        for name, field in form.base_fields.items():
            found += [f"{form.__module__}.{form.__qualname__}.{name}: {p}" for p in problems_of(name, field)]
    assert not found, "\n".join(found)


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf"\b{name}=([\"'])(.*?)\1", tag, re.S)
    return match.group(2) if match else None


def tag_problems(tag: str) -> list[str]:
    """The same rules for an <input> a template writes by hand, read from its attributes."""
    kind, name = attribute(tag, "type") or "text", attribute(tag, "name") or ""
    mode, auto = attribute(tag, "inputmode"), attribute(tag, "autocomplete")
    if kind in {"hidden", "checkbox", "radio", "submit", "button", "file", "range", "color"}:
        return []
    out = []
    if PHONE.search(name) and kind != "tel":
        out.append("a phone number: type=tel")
    if kind == "tel" and (mode != "tel" or not auto):
        out.append("type=tel: inputmode=tel and an autocomplete (tel, or off for someone else's)")
    if kind == "email" and not auto:
        out.append("type=email: an autocomplete (email, or off for someone else's)")
    if kind == "password" and auto not in {"current-password", "new-password"}:
        out.append("a password: autocomplete=current-password or new-password")
    if kind == "number" and mode not in {"numeric", "decimal"}:
        out.append("type=number: inputmode=numeric (decimal for amounts)")
    return out


def test_the_template_rules_catch_inputs_that_get_it_wrong():
    for tag in (
        '<input name="phone">',
        '<input type="tel" name="x">',
        '<input type="email" name="e">',
        '<input type="password" name="p">',
        '<input type="number" name="days" value="{{ n }}">',
    ):
        assert tag_problems(tag), tag
    right = '<input type="number" inputmode="numeric" name="days"{% if x %} required{% endif %}>'
    assert tag_problems(right) == []


def test_every_input_a_template_writes_by_hand_asks_for_the_right_keyboard():
    root = Path(settings.BASE_DIR) / "leadtracker"
    found = [
        f"{path.relative_to(root)}: {problem}: {' '.join(tag.split())[:90]}"
        for path in sorted(root.glob("**/templates/**/*.html"))
        for tag in INPUT_TAG.findall(path.read_text(encoding="utf-8"))
        for problem in tag_problems(tag)
    ]
    assert not found, "\n".join(found)
