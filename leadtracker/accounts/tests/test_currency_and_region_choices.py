"""Currency and region on the organisation's settings page are picked from lists by name
(India and the rupee first), never typed as codes; a code nobody knows cannot be posted."""

import re

from leadtracker.accounts.models import Organisation
from leadtracker.accounts.tests.test_digest_hour_setting import settings_form


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"{name} is not a list"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_currency_and_region_are_lists_with_india_first(acme, as_member):
    page = as_member(acme.olga).get("/settings/organisation/").content.decode()
    currencies, regions = options(page, "currency"), options(page, "phone_region")
    assert currencies[0] == "INR" and {"USD", "AED", "GBP"} <= set(currencies)
    assert "FRF" not in currencies  # withdrawn: not offered
    assert regions[0] == "IN" and {"AE", "GB", "US"} <= set(regions)
    assert '<option value="INR" selected>Indian Rupee (INR)</option>' in page
    assert ">United Arab Emirates (AE)</option>" in page


def test_a_picked_currency_and_region_are_saved(acme, as_member):
    client = as_member(acme.olga)
    form = settings_form(client, currency="AED", phone_region="AE")
    response = client.post("/settings/organisation/", form)
    assert response.status_code == 302
    org = Organisation.objects.get(pk=acme.org.pk)
    assert (org.currency, org.phone_region) == ("AED", "AE")


def test_a_code_not_in_the_list_is_refused(acme, as_member):
    client = as_member(acme.olga)
    response = client.post("/settings/organisation/", settings_form(client, currency="XYZ"))
    assert response.status_code == 200 and "currency" in response.context["form"].errors
    assert Organisation.objects.get(pk=acme.org.pk).currency == "INR"


def test_a_value_saved_before_the_lists_stays_selectable(acme, as_member):
    Organisation.objects.filter(pk=acme.org.pk).update(currency="FRF")
    page = as_member(acme.olga).get("/settings/organisation/").content.decode()
    assert "FRF" in options(page, "currency")
