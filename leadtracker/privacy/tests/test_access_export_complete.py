"""Completeness by construction, the export's half: every model holding personal data about a
lead or a member has an exporter for that kind of person, and every exporter names a real model."""

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from leadtracker.leads.models import Lead
from leadtracker.privacy.export.exporters import EXPORTERS
from leadtracker.privacy.personal_data import uncovered


def test_every_model_with_personal_data_is_exported():
    assert uncovered(EXPORTERS) == []


def test_every_exporter_names_an_installed_model_and_a_kind_of_its_own():
    for label in EXPORTERS:
        assert apps.get_model(label), label  # LookupError for a model that does not exist
    kinds = [e.kind for e in EXPORTERS.values()]
    assert len(kinds) == len(set(kinds)), kinds


@isolate_apps("leadtracker.leads")
def test_a_new_model_pointing_at_a_lead_is_reported_until_it_has_an_exporter():
    class Visit(models.Model):
        lead = models.ForeignKey(Lead, on_delete=models.CASCADE)
        notes = models.TextField()

        class Meta:
            app_label = "leads"

        def __str__(self):
            return "visit"

    assert uncovered(EXPORTERS, [Visit]) == ["leads.Visit (lead: lead)"]
    with_visit = dict(EXPORTERS, **{"leads.Visit": EXPORTERS["leads.Activity"]})
    assert uncovered(with_visit, [Visit]) == []
