"""Custom fields in the web list: the filter sheet filters on a choice and a range (and "not
filled in"), a saved view keeps those filters, a custom field can be a column of the table, and
a bulk choice of "all matching" reaches exactly the filtered leads."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.saved_views import save_view, set_columns
from leadtracker.leads.fields import actions
from leadtracker.leads.models import Lead, LeadStatus, SavedView


@pytest.fixture
def listed(acme, new_lead):
    sys = Actor.system()
    actions.create_field(acme.org, label="Budget", type="money", actor=sys)
    actions.create_field(acme.org, label="BHK", type="choice", choices=["1", "2", "3"], actor=sys)
    for name, phone, fields in (
        ("Asha", "98765 40001", {"bhk": "2", "budget": 4500000}),
        ("Bina", "98765 40002", {"bhk": "2", "budget": 7000000}),
        ("Chitra", "98765 40003", {"bhk": "3", "budget": 5500000}),
        ("Dev", "98765 40004", {}),
    ):
        new_lead(acme, name=name, phone=phone, custom_fields=fields)
    return acme


def names(page: str) -> list[str]:
    return sorted(n for n in ("Asha", "Bina", "Chitra", "Dev") if f">{n}</a>" in page)


def test_the_filter_sheet_filters_on_a_choice_and_a_range(listed, as_member):
    client = as_member(listed.olga)
    page = client.get("/leads/").content.decode()
    assert 'name="cf_bhk"' in page and 'name="cf_budget_from"' in page
    assert names(client.get("/leads/?cf_bhk=2&cf_budget_from=40L&cf_budget_to=60L").content.decode()) == [
        "Asha"
    ]
    assert names(client.get("/leads/?cf_bhk=-").content.decode()) == ["Dev"]
    assert names(client.get("/leads/?field=budget:range:50L..").content.decode()) == ["Bina", "Chitra"]
    bad = client.get("/leads/?cf_budget_from=lots", follow=True).content.decode()
    assert "A custom field filter was left out" in bad and names(bad) == ["Asha", "Bina", "Chitra", "Dev"]


def test_a_saved_view_keeps_the_custom_filters(listed, as_member):
    view = save_view(
        listed.olga, "2 BHK", query="cf_bhk=2&sort=name&cursor=x", columns=["status"], actor=Actor.system()
    )
    assert SavedView.objects.get(pk=view.pk).query == "cf_bhk=2&sort=name"
    page = as_member(listed.olga).get(f"/leads/?view={view.pk}", follow=True).content.decode()
    assert names(page) == ["Asha", "Bina"]


def test_a_custom_field_as_a_column(listed, as_member):
    set_columns(listed.olga, ["status", "fields.budget", "fields.nope"], actor=Actor.system())
    page = as_member(listed.olga).get("/leads/?sort=name").content.decode()
    assert '<th class="col-custom">Budget</th>' in page and "₹45 L" in page
    assert page.count('<th class="col-custom">') == 1  # a column of no field shows nothing


def test_bulk_all_matching_reaches_the_custom_filtered_leads(listed, as_member):
    won = LeadStatus.objects.get(organisation=listed.org, name="Won")
    form = {"action": "status", "status": won.pk, "all_matching": "1", "query": "cf_bhk=2", "confirm": "yes"}
    as_member(listed.maya).post("/leads/bulk/", form)
    assert sorted(Lead.objects.filter(status=won).values_list("name", flat=True)) == ["Asha", "Bina"]


def test_the_list_sorts_by_a_money_field_highest_first(listed, as_member):
    client = as_member(listed.olga)
    page = client.get("/leads/?sort=-fields.budget").content.decode()
    assert "Budget, highest first" in page
    order = [page.index(f">{n}</a>") for n in ("Bina", "Chitra", "Asha", "Dev")]
    assert order == sorted(order)  # 70 L, 55 L, 45 L, then the lead without a budget


def test_a_filtered_list_shows_its_filters_as_chips_and_the_cards_the_filtered_values(listed, as_member):
    client = as_member(listed.olga)
    new = LeadStatus.objects.get(organisation=listed.org, name="New")
    Lead.objects.filter(name="Asha").update(value=2500000)
    page = client.get(f"/leads/?cf_budget_from=40+lakh&cf_bhk=2&status={new.pk}&q=a").content.decode()
    chips = page[page.index('id="filter-chips"') :].split("</nav>")[0]
    # Each filter on is a chip that links to the list without it (the rest, the search, kept).
    assert "Budget from 40 lakh" in chips and "BHK: 2" in chips and "Status: New" in chips
    assert f'href="?cf_bhk=2&amp;status={new.pk}&amp;q=a"' in chips
    assert f'href="?cf_budget_from=40+lakh&amp;status={new.pk}&amp;q=a"' in chips
    assert 'aria-label="3 active"' in page
    # The card names its value and shows the budget filtered on.
    assert '<span class="muted">Value</span> ₹25 L' in page
    assert "Budget</span> ₹45 L" in page and "BHK</span> 2" in page
    plain = client.get("/leads/").content.decode()
    assert 'id="filter-chips"' not in plain and "Budget</span>" not in plain
