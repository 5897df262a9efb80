"""The everyday row's one-pass cleaning (imports/fastrow.py) gives what the general path gives:
the same CleanLead and notes for every row it takes, and it takes no row the general path
would refuse or warn about."""

import random

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import clean_lead_data
from leadtracker.leads.imports.fastrow import FastRows
from leadtracker.leads.imports.importer import RESERVED_EXTRA, Importer
from leadtracker.lib.errors import ActionError

HEADERS = ["Name", "First", "Last", "Company", "Mobile", "Alt", "Email", "City", "Address"]
HEADERS += ["Source", "Remarks", "Comment", "Lost", "Tags", "Pin code", "invalid_numbers", ""]
MAPPING = {
    0: "name",
    1: "first_name",
    2: "last_name",
    3: "company",
    4: "phone",
    5: "phone",
    6: "email",
    7: "city",
    8: "address",
    9: "source",
    10: "notes",
    11: "notes",
    12: "lost_reason",
    13: "tags",
}

PHONES = [
    "98765 43210",
    "+91 98765-43210",
    "p:+919812345678",
    "P: 09812345678",
    "0091 9123456789",
    "(022) 2345 6789",
    "12345",
    "N/A",
    "p:",
    "  ",
    "",
    None,
    9876543210,
    "+1 415 555 0100",
]
EMAILS = ["", "a@b.in", " Ravi.K@Example.IN ", "mailto:x@y.com", "not an email", "a@b", None]
TEXTS = ["", "  ", "Pune", "  Mumbai ", "x" * 300, None, 42, "Line\nbreak"]
TAGS = ["", "hot, warm", "a;b;;c", " , ", "t" * 80, "x,X, x"]


def random_row(rng: random.Random) -> list:
    row = [
        rng.choice(TEXTS + ["Customer 7", ""]),
        rng.choice(TEXTS),
        rng.choice(TEXTS),
        rng.choice(TEXTS),
        rng.choice(PHONES),
        rng.choice(PHONES),
        rng.choice(EMAILS),
        rng.choice(TEXTS),
        rng.choice(TEXTS),
        rng.choice(["", "IndiaMART", "indiamart ", "JustDial", None]),
        rng.choice(TEXTS),
        rng.choice(TEXTS),
        rng.choice(TEXTS),
        rng.choice(TAGS),
        rng.choice(TEXTS),
        rng.choice(TEXTS),
        rng.choice(TEXTS),
    ]
    return row[: rng.choice([len(row), len(row), 12, 5])]  # short rows too


@pytest.mark.parametrize("with_owner", [False, True])
def test_the_fast_path_cleans_a_row_as_the_general_path_does(acme, with_owner):
    importer = Importer(
        acme.org,
        mapping={str(k): v for k, v in MAPPING.items()},
        actor=Actor.system(),
        owner=acme.maya.user if with_owner else None,
        source_name="Walk-in",
    )
    importer.headers = HEADERS
    assert FastRows.applies(importer.mapping, importer.custom)
    fast = FastRows(
        importer.mapping,
        HEADERS,
        reserved=RESERVED_EXTRA,
        source=importer._source,
        default_source=importer.default_source,
        owner_id=acme.maya.user_id if with_owner else None,
        region=acme.org.phone_region,
    )
    rng = random.Random(21)
    taken = refused = 0
    for _ in range(3000):
        cells = random_row(rng)
        got = fast.clean(cells)
        row = importer._row_to_data(cells, HEADERS)
        if got is None:
            # Left to the general path: only rows whose cleaning it refuses.
            with pytest.raises(ActionError):
                clean_lead_data(acme.org, row.data)
            refused += 1
            continue
        clean, plain = got
        assert clean == clean_lead_data(acme.org, row.data), cells
        assert plain.notes == row.notes
        assert (row.status, row.by_rules, row.warnings, row.kept) == (None, True, [], [])
        assert (plain.status, plain.by_rules, list(plain.warnings), list(plain.kept)) == (None, True, [], [])
        taken += 1
    assert taken > 1000 and refused > 300, (taken, refused)


def test_the_fast_path_is_not_taken_for_columns_it_does_not_know(acme):
    assert not FastRows.applies({0: "name", 1: "phone", 2: "status"}, {})
    assert not FastRows.applies({0: "name", 1: "phone", 2: "owner"}, {})
    assert not FastRows.applies({0: "name", 1: "phone", 2: "value"}, {})
    # A custom field keyed like a lead's own field is the custom field.
    assert not FastRows.applies({0: "name", 1: "city"}, {"city": object()})
    assert FastRows.applies({0: "name", 1: "phone", 2: "email", 3: "notes"}, {})
