"""Finding leads: by name, company, e-mail, or a number in any format, its first or its last digits."""

import pytest

from leadtracker.leads import selectors
from leadtracker.leads.models import Lead


@pytest.fixture
def leads(acme, new_lead):
    return {
        "raj": new_lead(
            acme, name="Raj Sharma", company="Sharma Traders", email="raj@example.in", phones=["98765 43210"]
        ),
        "anita": new_lead(acme, name="Anita Desai", phones=["91234 56789", "+44 20 7946 0958"]),
        "priya": new_lead(acme, name="प्रिया", company="Nair Realty", phones=["99887 76655"]),
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("+91 98765 43210", {"raj"}),
        ("09876543210", {"raj"}),
        ("919876543210", {"raj"}),
        ("९८७६५४३२१०", {"raj"}),
        ("43210", {"raj"}),
        ("56789", {"anita"}),
        ("7946 0958", {"anita"}),  # the second, foreign number
        ("sharma", {"raj"}),
        ("RAJ@EXAMPLE", {"raj"}),
        ("realty", {"priya"}),
        ("प्रिया", {"priya"}),
        ("00000", set()),
        # Its first digits, as a telecaller remembers "the one starting 98765" (region IN).
        ("98765", {"raj"}),
        ("98765 4", {"raj"}),
        ("9988", {"priya"}),
        ("91234 5", {"anita"}),
        ("98766", set()),
    ],
)
def test_search(acme, leads, query, expected):
    found = selectors.search(Lead.objects.filter(organisation=acme.org), query, acme.org.pk, "IN")
    names = {key for key, lead in leads.items() if lead in set(found)}
    assert names == expected


def test_search_never_finds_another_organisations_leads(acme, globex, leads, new_lead):
    new_lead(globex, name="Raj in Globex", phones=["98765 43210"])
    found = selectors.search(selectors.leads_for(acme.olga), "43210", acme.org.pk, "IN")
    assert [lead.name for lead in found] == ["Raj Sharma"]
