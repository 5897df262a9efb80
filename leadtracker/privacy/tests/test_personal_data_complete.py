"""Completeness by construction: every model that holds personal data (a relation to a lead or
a member, or a field declared personal) is covered by the access export and by erasure. A model
added later without an entry in both fails here — shown with a model made inside the test."""

from django.db import models
from django.test.utils import isolate_apps

from leadtracker.leads.models import Lead
from leadtracker.privacy.erasure.erasers import ERASERS
from leadtracker.privacy.export.exporters import EXPORTERS
from leadtracker.privacy.personal_data import EXEMPT_FIELDS, personal_models, uncovered


def test_every_model_with_personal_data_is_erased():
    assert uncovered(ERASERS) == []


def test_every_model_with_personal_data_is_exported():
    assert uncovered(EXPORTERS) == []


def test_the_walk_finds_the_models_it_must():
    found = personal_models()
    for label, subject in [
        ("leads.Lead", "lead"),
        ("leads.LeadPhone", "lead"),
        ("calls.Call", "lead"),
        ("accounts.User", "member"),
        ("attendance.Shift", "member"),
        ("django_tasks_database.DBTaskResult", "lead"),
        ("leads.ImportJob", "lead"),
    ]:
        assert subject in found[label], (label, found.get(label))
    # An exempt relation is not a reason on its own: Call is still the lead's.
    assert "calls.Call.user" in EXEMPT_FIELDS and "member" not in found["calls.Call"]


def test_every_exemption_names_a_real_relation():
    from django.apps import apps

    for path, reason in EXEMPT_FIELDS.items():
        app_label, model_name, field_name = path.split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert field.is_relation and reason, path


@isolate_apps("leadtracker.leads")
def test_a_new_model_pointing_at_a_lead_fails_until_registered():
    class Visit(models.Model):
        lead = models.ForeignKey(Lead, on_delete=models.CASCADE)
        notes = models.TextField()

        class Meta:
            app_label = "leads"

        def __str__(self):
            return "x"

    class Badge(models.Model):
        colour = models.CharField(max_length=10)
        personal_data = {"member": ["colour"]}  # declared personal, no relation needed

        class Meta:
            app_label = "leads"

        def __str__(self):
            return "x"

    class Colour(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "leads"

        def __str__(self):
            return "x"

    assert uncovered(ERASERS, [Visit, Badge, Colour]) == [
        "leads.Badge (member: colour)",
        "leads.Visit (lead: lead)",
    ]
    assert uncovered(EXPORTERS, [Visit]) == ["leads.Visit (lead: lead)"]
    registered = dict(
        ERASERS, **{"leads.Visit": ERASERS["leads.Activity"], "leads.Badge": ERASERS["leads.Lead"]}
    )
    assert uncovered(registered, [Visit, Badge, Colour]) == []
