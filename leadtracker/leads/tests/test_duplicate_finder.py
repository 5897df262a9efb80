"""The duplicate finder: leads created anyway over a duplicate, and the same or a similar name
at the same company — found by grouping companies in the database, not by reading every lead."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.leads import selectors
from leadtracker.leads.models import Lead

_numbers = itertools.count(10_000)


@pytest.fixture
def lead(acme, new_lead):
    def make(name, company, people=None, by=None):
        people = people or acme
        return new_lead(people, name=name, company=company, phone=f"98765 {next(_numbers):05d}", by=by)

    return make


def pairs_of(viewer):
    return {(p["lead_id"], p["other_id"], p["reason"]) for p in selectors.duplicate_pairs(viewer)}


def test_similar_names_at_the_same_company_however_it_is_written(acme, api_as, lead):
    first = lead("Rajesh Kumar", "Sai Traders Pvt. Ltd.")
    misspelt = lead("Rajesh Kumaar", "SAI TRADERS PVT LTD")
    reversed_ = lead("Kumar Rajesh", "sai-traders pvt ltd")
    initials = lead("Mr. R. Kumar", "Sai Traders, Pvt Ltd")
    lead("Suresh Patil", "Sai Traders Pvt Ltd")  # a colleague of his, not him
    lead("Rajesh Kumar", "Sai Motors")  # the same name at another company
    lead("S. Kumar", "Sai Traders Pvt Ltd")  # another initial: another person
    response = api_as(acme.maya).get("/api/v1/leads/duplicates")
    assert response.status_code == 200
    got = {(p["lead_id"], p["other_id"], p["reason"]) for p in response.json()}
    assert got == {
        (first.pk, misspelt.pk, "similar name at the same company"),
        (first.pk, reversed_.pk, "same name at the same company"),
        (first.pk, initials.pk, "same initials and surname at the same company"),
    }


def test_hindi_names_with_different_spacing(acme, lead):
    first = lead("राजेश कुमार", "श्री गणेश ट्रेडर्स")
    spaced = lead("राजेश  कुमार", "श्री गणेश  ट्रेडर्स")
    joined = lead("श्री राजेशकुमार", "श्री गणेश ट्रेडर्स")  # with an honorific, written as one word
    lead("रमेश कुमार", "श्री गणेश ट्रेडर्स")  # Ramesh is not Rajesh
    lead("सुरेश पाटिल", "श्री गणेश ट्रेडर्स")
    assert pairs_of(acme.olga) == {
        (first.pk, spaced.pk, "same name at the same company"),
        (first.pk, joined.pk, "same name at the same company"),
    }


def test_names_that_only_look_alike_are_not_paired(acme, lead):
    for name in ("Anil Kumar", "Akhil Kumar", "Rakesh Gupta", "Mukesh Gupta", "Raj", "Ram", "Dr."):
        lead(name, "Acme")
    assert pairs_of(acme.olga) == set()


def test_three_records_of_one_person_give_two_pairs_to_the_oldest(acme, lead):
    a, b, c = (lead(n, "Acme") for n in ("Priya Sharma", "Priya Sarma", "PRIYA SHARMA"))
    assert pairs_of(acme.olga) == {
        (a.pk, b.pk, "similar name at the same company"),
        (a.pk, c.pk, "same name at the same company"),
    }


def test_leads_created_anyway_over_a_duplicate_are_still_listed(acme, new_lead):
    first = new_lead(acme, name="Raj", phone="98765 43210")
    twin = new_lead(acme, name="Someone", phones=["98765 43210", "91234 56789"], on_duplicate="create")
    assert pairs_of(acme.olga) == {(first.pk, twin.pk, "created anyway over a duplicate")}


def test_only_leads_the_viewer_sees(acme, lead):
    bobs = [lead("Rajesh Kumar", "Acme", by=acme.bob), lead("Rajesh Kumaar", "Acme", by=acme.bob)]
    lead("Rajesh Kumar", "Acme", by=acme.carl)
    assert pairs_of(acme.mani) == {(bobs[0].pk, bobs[1].pk, "similar name at the same company")}
    assert len(pairs_of(acme.olga)) == 2


def test_other_organisations_are_never_compared(acme, globex, lead):
    lead("Rajesh Kumar", "Acme")
    lead("Rajesh Kumar", "Acme", people=globex)
    assert pairs_of(acme.olga) == set() and pairs_of(globex.olga) == set()


def test_company_key_is_kept_by_the_database_for_every_writer(acme, lead):
    one = lead("Raj", "Acme Pvt. Ltd.")
    assert Lead.objects.get(pk=one.pk).company_key == "acmepvtltd"
    Lead.objects.filter(pk=one.pk).update(company="A.B.C. (India) Pvt-Ltd")  # no save(), no Python
    assert Lead.objects.get(pk=one.pk).company_key == "abcindiapvtltd"
    Lead.objects.filter(pk=one.pk).update(company="")
    assert Lead.objects.get(pk=one.pk).company_key == ""


def test_only_companies_with_several_leads_are_read_and_compared(acme, lead, monkeypatch):
    compared = []
    real = selectors.name_words
    monkeypatch.setattr(selectors, "name_words", lambda name: compared.append(name) or real(name))
    for i in range(5):
        lead(f"Single {i}", f"Shop {i}")
    a, b = lead("Rajesh Kumar", "Acme"), lead("Rajesh Kumaar", "Acme")
    assert pairs_of(acme.olga) == {(a.pk, b.pk, "similar name at the same company")}
    assert sorted(compared) == ["Rajesh Kumaar", "Rajesh Kumar"]


def test_queries_do_not_grow_with_companies_or_flagged_leads(acme, lead, new_lead):
    def twin():
        number = f"91234 {next(_numbers):05d}"
        new_lead(acme, name="First", phone=number)
        new_lead(acme, name="Twin", phones=[number], on_duplicate="create")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.duplicate_pairs(acme.olga)
        return len(ctx.captured_queries)

    def companies(numbers):
        for i in numbers:
            for _twice in range(2):
                lead("Rajesh Kumar", f"Company {i}")

    companies(range(2))
    twin()
    few = count()
    companies(range(2, 20))
    for _ in range(5):
        twin()
    assert count() == few
    assert len(selectors.duplicate_pairs(acme.olga)) == 20 + 6


def test_bounded_newest_companies_and_newest_leads_first(acme, lead, monkeypatch):
    monkeypatch.setattr(selectors, "LEADS_PER_COMPANY", 3)
    monkeypatch.setattr(selectors, "COMPANIES_COMPARED", 1)
    old_pair = [lead("Amit Shah", "Old Co"), lead("Amit Shah", "Old Co")]
    crowd = [lead("Priya Sharma", "New Co") for _ in range(5)]
    got = pairs_of(acme.olga)
    # Only the company with the newest lead, and only its three newest leads.
    assert got == {
        (crowd[2].pk, crowd[3].pk, "same name at the same company"),
        (crowd[2].pk, crowd[4].pk, "same name at the same company"),
    }
    assert not {old_pair[0].pk, old_pair[1].pk} & {i for p in got for i in p[:2]}
    assert len(selectors.duplicate_pairs(acme.olga, limit=1)) == 1
