"""lib/bulk.py's statements: `one_of` finds exactly what a plain list finds, and bulk inserts
keep Django's error mapping while staying out of the debug query log (500 rows of values that
nobody reads, and that cost a 100,000-row import a third of its time under DEBUG)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.audit import Actor
from leadtracker.leads.models import LeadPhone, LeadTag, Tag
from leadtracker.lib.bulk import insert_rows, one_of
from leadtracker.testing import make_lead

ODD = ["+919800000001", "o'brien@example.in", 'say "hi"', "नमस्ते", "a,b", ""]


def test_one_of_finds_what_a_list_finds(acme):
    lead = make_lead(acme, name="Asha", phone="98000 00001", actor=Actor.system())
    numbers = [p.e164 for p in LeadPhone.objects.filter(lead=lead)]
    for values in (numbers, numbers + ODD, ODD, []):
        by_list = set(LeadPhone.objects.filter(e164__in=values).values_list("pk", flat=True))
        by_one_of = set(LeadPhone.objects.filter(e164__in=one_of(values)).values_list("pk", flat=True))
        assert by_one_of == by_list
    assert LeadPhone.objects.filter(e164__in=one_of(numbers)).count() == 1


def test_one_of_passes_every_value_as_it_is(db):
    values = [*ODD, "back\\slash", '\\"', "{brace}", "NULL", " spaced ", "x" * 300]
    looked_up = one_of(values)
    with connection.cursor() as cursor:
        cursor.execute(looked_up.sql, looked_up.params)
        assert sorted(r[0] for r in cursor.fetchall()) == sorted(values)


def test_one_of_is_one_parameter(acme):
    values = [f"+9198000{i:05d}" for i in range(1000)]
    by_list = LeadPhone.objects.filter(organisation=acme.org, e164__in=values)
    by_one_of = LeadPhone.objects.filter(organisation=acme.org, e164__in=one_of(values))
    assert len(by_list.query.sql_with_params()[1]) == 1001
    assert len(by_one_of.query.sql_with_params()[1]) == 2  # the organisation and the values


def test_bulk_inserts_stay_out_of_the_debug_log_and_still_raise_integrity_errors(acme):
    lead = make_lead(acme, name="Asha", phone="98000 00001", actor=Actor.system())
    tag = Tag.objects.create(organisation=acme.org, name="hot")
    with CaptureQueriesContext(connection) as queries:
        insert_rows(LeadTag, ["organisation_id", "lead_id", "tag_id"], [(acme.org.pk, lead.pk, tag.pk)])
    assert LeadTag.objects.filter(lead=lead, tag=tag).count() == 1
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"]]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(LeadTag, ["organisation_id", "lead_id", "tag_id"], [(acme.org.pk, lead.pk, tag.pk)])
    assert LeadTag.objects.filter(lead=lead, tag=tag).count() == 1
