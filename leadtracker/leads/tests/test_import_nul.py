"""A NUL character in an imported file (a header or a value) imports the same on
SQLite and PostgreSQL: PostgreSQL cannot store NUL in text, so the readers turn it into the
replacement mark an undecodable byte gets, and a number holding one fails naming its column."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.imports.importer import import_file
from leadtracker.leads.models import Lead


def run(acme, path):
    errors = []
    counts = import_file(acme.org, str(path), actor=Actor.system(), issue_sink=errors.append)
    return counts, errors


def test_a_csv_with_nul_characters_imports_what_it_can_and_names_the_bad_number(acme, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(
        b"Name,Phone,Ci\x00ty\n"
        + b"Asha\x00 Rao,9876543210,Pune\n"
        + "राज,98765\x0043211,Delhi\n".encode()
        + "Meera 🙂,9876543212,Goa\n".encode()
    )
    counts, errors = run(acme, path)
    assert counts.created == 2 and counts.errors == 1
    assert (errors[0].kind, errors[0].column) == ("error", "Phone")
    names = set(Lead.objects.filter(organisation=acme.org).values_list("name", flat=True))
    assert names == {"Asha\ufffd Rao", "Meera 🙂"}
