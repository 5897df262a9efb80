"""The header's search box: a lead found by its number in any format or its last digits, by a
name in Devanagari or Latin letters, an e-mail or a company; only among the leads the person may
see, never another organisation's; the results as you type (htmx) or as a page without
JavaScript; a searched number in the access audit, like the lead list's search; one query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.models import AuditEvent

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rajesh(acme, new_lead):
    return new_lead(
        acme,
        name="राजेश कुमार",
        phones=["98102 34567"],
        email="rajesh.k@ganeshbuilders.in",
        company="Shree Ganesh Builders",
        owner=acme.alice,
    )


def found(response) -> list[int]:
    return [int(i) for i in re.findall(r'href="/leads/(\d+)/"', response.content.decode())]


@pytest.mark.parametrize(
    "query",
    [
        "98102 34567",
        "+919810234567",
        "+91 98102-34567",
        "234567",
        "राजेश",
        "कुमार",
        "ganeshbuilders.in",
        "RAJESH.K@GANESHBUILDERS.IN",
        "ganesh build",
    ],
)
def test_finds_a_lead_by_number_name_email_or_company(acme, as_member, rajesh, new_lead, query):
    new_lead(acme, name="Someone Else", phones=["99887 76655"], company="Other Traders", owner=acme.alice)
    response = as_member(acme.alice).get("/search/", {"q": query}, **HX)
    assert response.status_code == 200
    assert response.templates[0].name == "leads/_search_results.html"
    assert found(response) == [rajesh.pk]


def test_latin_names_are_found_without_regard_to_case(acme, as_member, new_lead):
    lead = new_lead(acme, name="Priya Sharma", phones=["91234 56789"])
    assert found(as_member(acme.olga).get("/search/", {"q": "priya sh"}, **HX)) == [lead.pk]


def test_without_javascript_the_form_opens_a_page_of_results(acme, as_member, rajesh):
    response = as_member(acme.alice).get("/search/", {"q": "234567"})
    assert response.status_code == 200
    assert response.templates[0].name == "leads/search.html"
    page = response.content.decode()
    assert f'href="/leads/{rajesh.pk}/"' in page.split('<main class="page">', 1)[1]
    assert 'value="234567"' in page


def test_one_letter_or_nothing_searches_nothing(acme, as_member, rajesh):
    client = as_member(acme.olga)
    for query in ("", " ", "र"):
        response = client.get("/search/", {"q": query}, **HX)
        # Empty, so that the drop-down under the box closes (it shows only while it has content).
        assert response.status_code == 200 and response.content == b""
    assert "No lead matches “zzz”" in client.get("/search/", {"q": "zzz"}, **HX).content.decode()


def test_an_agent_finds_only_the_leads_they_may_see(acme, as_member, rajesh, new_lead):
    bobs = new_lead(acme, name="राजेश वर्मा", phones=["98102 11111"], owner=acme.bob)
    assert found(as_member(acme.alice).get("/search/", {"q": "राजेश"}, **HX)) == [rajesh.pk]
    assert found(as_member(acme.bob).get("/search/", {"q": "98102 11111"}, **HX)) == [bobs.pk]
    assert found(as_member(acme.alice).get("/search/", {"q": "11111"}, **HX)) == []
    # Their manager sees both; the owner too.
    assert set(found(as_member(acme.maya).get("/search/", {"q": "राजेश"}, **HX))) == {rajesh.pk, bobs.pk}
    assert set(found(as_member(acme.olga).get("/search/", {"q": "राजेश"}, **HX))) == {rajesh.pk, bobs.pk}


def test_another_organisations_leads_are_never_found(acme, globex, as_member, rajesh, new_lead):
    theirs = new_lead(globex, name="राजेश कुमार", phones=["98102 34567"], company="Shree Ganesh Builders")
    for query in ("98102 34567", "234567", "राजेश", "Shree Ganesh"):
        assert found(as_member(acme.olga).get("/search/", {"q": query}, **HX)) == [rajesh.pk]
        assert found(as_member(globex.olga).get("/search/", {"q": query}, **HX)) == [theirs.pk]
    # And the other organisation's lead stays a 404, whatever was typed.
    assert as_member(acme.olga).get(f"/leads/{theirs.pk}/").status_code == 404


def test_a_searched_number_is_in_the_access_audit(acme, as_member, rajesh):
    client = as_member(acme.alice)
    client.get("/search/", {"q": "98102 34567"}, **HX)
    event = AuditEvent.objects.get(organisation=acme.org, action="lead.search_number")
    assert event.actor_user_id == acme.alice.user_id
    assert event.changes["via"] == "web" and event.changes["digits"] == 10
    assert "34567" not in str(event.changes)
    client.get("/search/", {"q": "राजेश"}, **HX)
    assert AuditEvent.objects.filter(action="lead.search_number").count() == 1


def test_the_search_costs_a_fixed_number_of_queries(acme, as_member, new_lead):
    client = as_member(acme.alice)
    client.get("/search/", {"q": "Lead"}, **HX)  # the session and what is cached are warm now

    def queries(query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/search/", {"q": query}, **HX)
        return len(ctx.captured_queries), len(found(response))

    first = queries("Lead")
    for n in range(12):
        new_lead(acme, name=f"Lead {n}", phones=[f"9810{n:02d}0123"], owner=acme.alice)
    # The session, the person with their memberships and organisations (one query, the header's
    # other organisations and the unread notifications among them), then the one search; a
    # number adds its audit event.
    assert queries("Lead") == (first[0], 8) == (3, 8)
    assert queries("0123") == (4, 8)
