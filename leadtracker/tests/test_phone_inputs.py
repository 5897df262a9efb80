"""Wherever a phone number is typed the input is type=tel, so a phone shows its dial pad; only
the person's own number is offered for autofill (autocomplete=tel)."""

import html
import importlib
import inspect
import re
from html.parser import HTMLParser

import pytest
from django import forms

FORM_MODULES = ["leadtracker.accounts.forms", "leadtracker.calls.forms", "leadtracker.leads.forms"]
PHONE_NAME = re.compile(r"(^|_)(phones?|mobile|number)$")  # not phone_region


def typed_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field.widget, forms.TextInput):
                        yield cls, field_name, field


def test_every_form_field_for_a_number_is_a_tel_input():
    """The rule for forms yet to be written: a text field named for a phone number is tel."""
    checked = []
    for cls, field_name, field in typed_fields():
        if PHONE_NAME.search(field_name):
            checked.append(f"{cls.__name__}.{field_name}")
            assert field.widget.input_type == "tel", f"{cls.__name__}.{field_name} is not type=tel"
    assert {
        "LeadForm.phones",
        "ManualCallForm.number",
        "ProfileForm.phone",
        "OrganisationForm.support_phone",
    } <= set(checked)


class Inputs(HTMLParser):
    def __init__(self, content):
        super().__init__()
        self.by_name = {}
        self.feed(content.decode() if isinstance(content, bytes) else content)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.by_name[attrs["name"]] = attrs


@pytest.mark.parametrize(
    "who, path, name, autocomplete",
    [
        ("alice", "/leads/new/", "phones", "off"),
        ("alice", "/leads/{lead}/edit/", "phones", "off"),
        ("alice", "/calls/log/", "number", "off"),
        ("alice", "/profile/", "phone", "tel"),
        ("olga", "/settings/privacy/exports/", "phone", "off"),
        ("olga", "/settings/organisation/", "support_phone", "off"),
    ],
)
def test_the_pages_render_tel_inputs(acme, as_member, who, path, name, autocomplete):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    lead, _ = create_lead(
        acme.org, LeadData(name="Raj", phones=["98765 43210"]), actor=Actor.system(), by=acme.alice
    )
    response = as_member(getattr(acme, who)).get(path.format(lead=lead.pk))
    assert response.status_code == 200
    field = Inputs(response.content).by_name[name]
    assert field.get("type") == "tel", (path, field)
    assert field.get("autocomplete") == autocomplete, (path, field)


def test_the_web_capture_form_to_copy_asks_for_a_tel(acme, as_member):
    from leadtracker.leads.actions.settings import source_named

    source = source_named(acme.org, "Website")
    client = as_member(acme.adam)
    client.post(f"/leads/settings/sources/{source.pk}/key/")
    page = client.get("/leads/settings/").content.decode()
    # What the admin reads and copies: the snippet's text, however its quotes are escaped.
    assert '<input name="phone" type="tel" autocomplete="tel"' in html.unescape(page)
