"""Deleting an organisation leaves none of the counts the database's triggers keep. The deletion
sets its leads' source to NULL before it deletes them (its sources go too): the created-lead
trigger counts that UPDATE into rows of source 0 that the deletion had not collected, and left
behind they failed the organisation's foreign key (a demo reset raised IntegrityError)."""

from django.db import connection

from leadtracker.leads.models import LeadSource
from leadtracker.reports.models import CreatedCount, LeadCount, OrganisationDay, OrganisationHour
from leadtracker.testing import make_lead


def test_an_organisation_with_leads_from_a_source_is_deleted_whole(acme, globex):
    walk_in = LeadSource.objects.create(organisation=acme.org, name="Walk-in")
    make_lead(acme, source=walk_in)
    make_lead(acme, phone="98111 22233")
    make_lead(globex)
    gone = acme.org.pk
    assert CreatedCount.objects.filter(organisation_id=gone, source_id=walk_in.pk).exists()

    acme.org.delete()
    connection.check_constraints()  # the foreign keys are checked at commit: check them now

    for model in (CreatedCount, LeadCount, OrganisationDay, OrganisationHour):
        assert not model.objects.filter(organisation_id=gone).exists(), model.__name__
    assert CreatedCount.objects.filter(organisation_id=globex.org.pk).exists()  # only its own
