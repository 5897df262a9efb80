"""The sample import sheet, offered where the lead list is empty: the columns the importer
recognises (each header maps to a field by itself), two example rows, written through the
formula-safe writer with its audit event; for those who may import."""

import csv
import io

from leadtracker.accounts.models import AuditEvent
from leadtracker.leads.imports.mapping import guess_mapping


def _sheet(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_sample_sheet_has_the_importers_columns_and_two_rows(acme, as_member):
    response = as_member(acme.maya).get("/leads/import/sample.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _sheet(response)
    mapping = guess_mapping(header)
    assert len(mapping) == len(header), (header, mapping)
    assert {"name", "phone", "email", "company", "city", "source", "status", "value", "tags", "notes"} == set(
        mapping.values()
    )
    assert len(rows) == 2 and all(len(r) == len(header) for r in rows)
    assert AuditEvent.objects.filter(organisation=acme.org, action="import_sample.download").count() == 1


def test_the_sample_sheet_is_formula_safe(acme, as_member):
    # "+91 91234 56789" starts with a plus: a spreadsheet would read it as a formula.
    header, *rows = _sheet(as_member(acme.maya).get("/leads/import/sample.csv"))
    phones = [r[header.index("Phone")] for r in rows]
    assert not any(p.startswith(("=", "+", "-", "@")) for p in phones), phones


def test_agents_cannot_download_it(acme, as_member):
    assert as_member(acme.alice).get("/leads/import/sample.csv").status_code == 403


def test_an_empty_list_says_what_to_do_next(acme, as_member):
    page = as_member(acme.maya).get("/leads/").content.decode()
    assert 'id="no-leads"' in page
    assert 'href="/leads/import/"' in page and ">Import leads</a>" in page and ">Add a lead</a>" in page
    assert 'href="/leads/import/sample.csv"' in page
    agent = as_member(acme.alice).get("/leads/").content.decode()
    assert ">Add a lead</a>" in agent and ">Import leads</a>" not in agent
