"""Sign-up as a first-time owner fills it in: the short name (the organisation's links, e.g. its
public privacy page) is made from what she types — "Olga Pune" becomes olga-pune — or from the
organisation's name when she leaves it empty, instead of Django's "Enter a valid “slug”…"; a
short name already taken says so in words, not "an organisation with slug 'acme' exists"; and
the password's rule is on the page before she submits, not only in the error after."""

from django.test import Client

from leadtracker.accounts.models import Membership
from leadtracker.testing import PASSWORD, html_region


def sign_up(**fields):
    data = {
        "org_name": "Olga Calling Pune",
        "slug": "",
        "full_name": "Olga Deshmukh",
        "email": "olga@example.in",
        "password": PASSWORD,
    }
    return Client().post("/signup/", {**data, **fields})


def test_a_short_name_typed_with_spaces_and_capitals_is_made_into_one(db):
    assert sign_up(slug="Olga Pune").status_code == 302
    assert Membership.objects.get(user__email="olga@example.in").organisation.slug == "olga-pune"


def test_an_empty_short_name_is_made_from_the_organisations_name(db):
    assert sign_up().status_code == 302
    assert Membership.objects.get(user__email="olga@example.in").organisation.slug == "olga-calling-pune"


def test_a_taken_short_name_is_said_in_words(acme):
    response = sign_up(slug="Acme")
    assert response.status_code == 200
    [error] = response.context["form"].errors["slug"]
    assert "slug" not in error and "acme" in error


def test_the_page_says_the_rules_before_she_submits(db):
    page = Client().get("/signup/").content.decode()
    assert "At least 10 characters" in page
    assert html_region(page, "id_slug_helptext") is not None
