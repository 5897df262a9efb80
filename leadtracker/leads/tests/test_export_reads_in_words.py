"""The leads export's column headers are words a manager reads in Excel ("Other phones",
"Do not call", "Lost reason"), not field codes (other_phones, do_not_call) — review mg #15 — and
the file still imports back: the importer maps every column of a lead's own fields by itself,
and the leads come back the same in another organisation.

The headers stay English in every language: the importer recognises headers by their Latin
letters (mapping.normalise_header), so a Hindi header would come back unmapped."""

import csv
import io

from leadtracker.accounts.audit import Actor
from leadtracker.leads.imports.importer import import_file
from leadtracker.leads.imports.mapping import guess_mapping
from leadtracker.leads.models import Lead

# The export's columns that are not a lead's own field the importer writes: kept by an import
# among the lead's other details (extra), as any column it does not know.
NOT_IMPORTED = {"ID", "Other phones", "Last contacted at", "Next follow-up at"}


def export(api_as, member) -> tuple[list[str], list[list[str]], bytes]:
    response = api_as(member).get("/api/v1/leads/export?format=csv")
    body = b"".join(response.streaming_content)
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return header, rows, body


def test_the_export_reads_in_words_and_imports_back(acme, globex, api_as, new_lead, tmp_path):
    acme.olga.user.language = "hi"  # the headers do not follow the reader's language
    acme.olga.user.save(update_fields=["language"])
    new_lead(
        acme,
        name="Priya Das",
        company="Sunrise Clinics",
        phones=["98765 43210", "91234 56789"],
        email="priya@example.in",
        city="Pune",
        address="12 MG Road",
        value="850000",
        tags=["diwali"],
        do_not_call=True,
        lost_reason="Budget",
    )
    header, rows, body = export(api_as, acme.olga)
    assert header[:6] == ["ID", "Name", "Company", "Phone", "Other phones", "E-mail"]
    assert {"Do not call", "Marketing consent", "Lost reason", "Created at"} <= set(header)
    assert not [h for h in header if "_" in h]

    mapping = guess_mapping(header)
    unmapped = {h for i, h in enumerate(header) if str(i) not in mapping}
    assert unmapped == NOT_IMPORTED, unmapped
    assert len(set(mapping.values())) == len(mapping)  # no two columns on one field

    path = tmp_path / "leads-export.csv"
    path.write_bytes(body)
    counts = import_file(globex.org, str(path), actor=Actor.for_user(globex.olga.user))
    assert counts.created == 1 and counts.errors == 0
    lead = Lead.objects.get(organisation=globex.org)
    assert (lead.name, lead.company, lead.phone, lead.email) == (
        "Priya Das",
        "Sunrise Clinics",
        "+919876543210",
        "priya@example.in",
    )
    assert (lead.city, lead.address, lead.value, lead.do_not_call, lead.lost_reason) == (
        "Pune",
        "12 MG Road",
        850000,
        True,
        "Budget",
    )
    assert [t.name for t in lead.tags.all()] == ["diwali"]
