"""Acceptance: the export of a lead with notes, follow-ups and calls contains all of them,
in person.json and in the CSVs, and nothing of anyone else."""

import io

from leadtracker.privacy.export.archive import build_zip
from leadtracker.privacy.export.values import Subject
from leadtracker.privacy.tests.export_util import lead_with_history, read_zip, zip_text

A_WORDS = ["Amber", "Banyan", "Cobalt", "Dahlia", "Ember", "Fennel", "Garnet", "Hazel", "Indigo", "Jasmine"]
B_WORDS = [
    "Kestrel",
    "Lotus",
    "Marigold",
    "Nutmeg",
    "Onyx",
    "Pepper",
    "Quartz",
    "Rosewood",
    "Saffron",
    "Tamarind",
]


def export_bytes(org, **subject) -> bytes:
    out = io.BytesIO()
    build_zip(Subject(org=org, **subject), out)
    return out.getvalue()


def test_a_leads_export_holds_its_notes_follow_ups_and_calls_and_nothing_of_another_lead(acme):
    a, a_notes, a_follow_ups, a_calls = lead_with_history(
        acme,
        name="रवि कुमार",
        phones=["+919876543210", "+919812345678"],
        email="ravi@example.in",
        words=A_WORDS,
    )
    b, *_ = lead_with_history(
        acme,
        name="Sunita Sharma",
        phones=["+919900112233", "+919900445566"],
        email="sunita@example.in",
        words=B_WORDS,
        city="Nagpur",
    )
    data = export_bytes(acme.org, lead=a)
    person, tables = read_zip(data)

    about = person["about"]
    assert about["subject"] == {"kind": "lead", "id": a.pk}
    assert about["organisation"]["slug"] == "acme"
    data_ = person["data"]
    assert [row["name"] for row in data_["leads"]] == ["रवि कुमार"]
    assert data_["leads"][0]["extra"] == {"budget": "Dahlia lakh"}
    assert {p["e164"] for p in data_["phones"]} == {"+919876543210", "+919812345678"}
    assert [t["name"] for t in data_["tags"]] == ["Cobalt-tag"]

    note_bodies = {row["body"] for row in data_["activities"] if row["kind"] == "note"}
    assert note_bodies == {n.body for n in a_notes} == {"Note Ember", "Note Fennel"}
    assert {row["id"] for row in data_["follow_ups"]} == {f.pk for f in a_follow_ups}
    assert {row["note"] for row in data_["follow_ups"]} == {"Follow Garnet", "Follow Hazel"}
    assert {row["id"] for row in data_["calls"]} == {c.pk for c in a_calls}
    assert {row["note"] for row in data_["calls"]} == {"Call Indigo", "Call Jasmine"}
    assert {row["duration_s"] for row in data_["calls"]} == {60, 61}
    assert all(row["agent"] == "Alice Acme" for row in data_["calls"])
    assert about["counts"]["calls"] == 2 and about["counts"]["follow_ups"] == 2

    # The same rows in the CSVs, one per kind.
    assert {r["body"] for r in tables["activities"] if r["kind"] == "note"} == note_bodies
    assert {r["note"] for r in tables["follow_ups"]} == {"Follow Garnet", "Follow Hazel"}
    assert {r["note"] for r in tables["calls"]} == {"Call Indigo", "Call Jasmine"}
    assert {r["number"] for r in tables["calls"]} == {"+919876543210"}
    assert tables["leads"][0]["name"] == "रवि कुमार"
    assert set(about["files"]) == {"person.json", *(f"{k}.csv" for k in tables)}

    # Nothing of lead B anywhere in the file: not its name, numbers, e-mail nor any word of it.
    everything = zip_text(data)
    for text in [b.name, "Sharma", "sunita@example.in", "9900112233", "9900445566", "Nagpur", *B_WORDS]:
        assert text.lower() not in everything.lower(), text
    for word in A_WORDS:
        assert word in everything, word


def test_csv_cells_that_would_run_as_formulas_are_made_text(acme):
    a, *_ = lead_with_history(
        acme,
        name='=HYPERLINK("http://evil.example","x")',
        phones=["+919876543210"],
        email="",
        words=A_WORDS,
    )
    _person, tables = read_zip(export_bytes(acme.org, lead=a))
    assert tables["leads"][0]["name"].startswith("'=HYPERLINK")
    # Our own E.164 numbers start with + and stay as they are.
    assert tables["phones"][0]["e164"] == "+919876543210"


def test_searches_for_the_leads_number_are_in_its_audit_events(acme):
    from leadtracker.testing import login_client

    a, *_ = lead_with_history(acme, name="Ravi Kumar", phones=["+919876543210"], email="", words=A_WORDS)
    lead_with_history(acme, name="Sunita Sharma", phones=["+919900112233"], email="", words=B_WORDS)
    admin = login_client(acme.adam)
    assert admin.get("/leads/", {"q": "098765 43210"}).status_code == 200
    assert admin.get("/leads/", {"q": "99001 12233"}).status_code == 200  # the other lead's number

    person, _tables = read_zip(export_bytes(acme.org, lead=a))
    searches = [e for e in person["data"]["audit_events"] if e["action"] == "lead.search_number"]
    assert len(searches) == 1 and searches[0]["actor"] == "Adam Acme"
    assert searches[0]["ip_address"] is None  # the searcher's address is theirs, not the lead's
