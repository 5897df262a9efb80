"""Wherever an e-mail address is typed the input is type=email, so a phone shows its @
keyboard (the new-user review found the lead and lead-from-call forms offering plain text)."""

import importlib
import inspect

from django import forms

from leadtracker.tests.test_phone_inputs import FORM_MODULES


def email_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                for field_name, field in cls.base_fields.items():
                    if field_name == "email" or field_name.endswith("_email"):
                        yield cls, field_name, field


def test_every_form_field_for_an_email_is_an_email_input():
    checked = []
    for cls, field_name, field in email_fields():
        checked.append(f"{cls.__name__}.{field_name}")
        assert getattr(field.widget, "input_type", "") == "email", f"{cls.__name__}.{field_name}"
    assert {"LeadForm.email", "LeadFromCallForm.email"} <= set(checked)


def test_the_lead_form_renders_an_email_input(acme, as_member):
    page = as_member(acme.maya).get("/leads/new/").content.decode()
    assert 'type="email" name="email"' in page
