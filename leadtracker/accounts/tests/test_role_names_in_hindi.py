"""A role reads the same in Hindi wherever it is named: the member list, an invitation (its
e-mail and its page), the Help page, the 403 page and the API's 403 message all say एडमिन for
an admin, मैनेजर for a manager, whatever the English word "Owner" means elsewhere."""

import re

from django.core import mail
from django.test import Client

from leadtracker.accounts.models import Organisation, User
from leadtracker.testing import html_region


def _in_hindi(*members):
    User.objects.filter(pk__in=[m.user_id for m in members]).update(language="hi")


def test_the_member_list_names_each_role_in_hindi(acme, as_member):
    _in_hindi(acme.adam)
    page = as_member(acme.adam).get("/members/").content.decode()
    cells = set(re.findall(r"<td[^>]*>([^<]*)</td>", page))
    assert {"मालिक", "एडमिन", "मैनेजर", "एजेंट"} <= cells
    assert not {"Owner", "Admin", "Manager", "Agent"} & cells


def test_an_invitation_names_the_role_as_the_member_list_does(acme, django_capture_on_commit_callbacks):
    Organisation.objects.filter(pk=acme.org.pk).update(language="hi")
    _in_hindi(acme.adam)
    admin = Client()
    admin.force_login(acme.adam.user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin.post("/members/", {"email": "neha@example.in", "role": "manager", "reports_to": ""})
    assert answer.status_code == 302
    body = mail.outbox[0].body
    assert "मैनेजर" in body and "Manager" not in body
    link = re.search(r"/invite/(\S+)/", body).group(0)
    page = Client().get(link, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "<strong>मैनेजर</strong>" in page


def test_a_refusal_names_the_role_needed_in_the_same_words(acme, as_member, api_as):
    _in_hindi(acme.alice, acme.maya)
    page = as_member(acme.maya).get("/settings/organisation/")
    assert page.status_code == 403
    assert "<strong>एडमिन</strong>" in page.content.decode()
    answer = api_as(acme.alice).patch("/api/v1/organisation", {"name": "X"}, content_type="application/json")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "इसके लिए एडमिन या उससे ऊपर का रोल चाहिए"


def test_help_names_the_roles_in_the_same_words(acme, as_member):
    _in_hindi(acme.maya)
    roles = html_region(as_member(acme.maya).get("/help/").content, "roles").text
    assert "Acme में आप मैनेजर हैं।" in roles


def test_the_server_admin_page_names_its_role_in_the_same_words(acme, as_member):
    _in_hindi(acme.olga)
    page = as_member(acme.olga).get("/django-admin/login/")
    assert page.status_code == 403
    assert "<strong>सर्वर एडमिन</strong>" in page.content.decode()


def test_in_english_the_api_still_says_the_admin_role(acme, api_as):
    answer = api_as(acme.alice).patch("/api/v1/organisation", {"name": "X"}, content_type="application/json")
    assert answer.json()["detail"] == "this needs the admin role or higher"
