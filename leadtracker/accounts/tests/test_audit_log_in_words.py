"""The audit log names each action in words an owner reads ("Signed in", "Imported leads"),
its code (what the Action filter and the CSV take) kept small beside it, and what it was done
to ("Import 7", not "importjob 7"); an action without words shows its code alone. In Hindi too."""

from leadtracker.accounts import actions
from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import User
from leadtracker.testing import html_region


def rows(client):
    page = client.get("/audit/").content.decode()
    return [text for tag, _classes, text in html_region(page, "audit-rows").elements if tag == "tr"]


def test_actions_are_said_in_words_beside_their_code(acme, as_member):
    actions.record_login(acme.maya.user, acme.maya, actor=Actor.for_user(acme.maya.user))
    olga = Actor.for_user(acme.olga.user)
    record("lead.import", organisation=acme.org, actor=olga, object_type="importjob", object_id="7")
    record("something.new", organisation=acme.org, actor=Actor.system(), object_type="thing", object_id="1")
    owner = as_member(acme.olga)
    said = rows(owner)
    assert any("Signed in" in r and "user.login" in r for r in said)
    assert any("Imported leads" in r and "lead.import" in r and "Import 7" in r for r in said)
    assert any("Person " in r for r in said)  # the login's object, once "user 3"
    assert any("something.new" in r for r in said)  # no words for it: the code alone

    User.objects.filter(pk=acme.olga.user_id).update(language="hi")
    hindi = rows(as_member(acme.olga))
    assert any("साइन इन किया" in r and "user.login" in r for r in hindi)
