"""Issue 21: the header's unread count is read in the membership's statement on a GET (one
statement fewer on every page), and asked on its own where a request may have written
notifications before its page renders (a POST). Either way the bell says what
notifications.unread_count says."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.accounts.context_processors import shell
from leadtracker.accounts.middleware import _memberships_of
from leadtracker.accounts.models import Membership, Notification, Role
from leadtracker.accounts.notifications import notify, unread_count


def test_each_membership_carries_its_own_unread_count(acme, globex):
    other = Membership.objects.create(organisation=globex.org, user=acme.alice.user, role=Role.AGENT)
    for text in ("one", "two", "three"):
        notify(organisation_id=acme.org.pk, user_id=acme.alice.user_id, text=text)
    notify(organisation_id=globex.org.pk, user_id=acme.alice.user_id, text="elsewhere")
    notify(organisation_id=acme.org.pk, user_id=acme.bob.user_id, text="someone else's")
    Notification.objects.filter(text="three").update(read_at=timezone.now())
    found = {m.pk: m for m in _memberships_of(acme.alice.user_id, unread=True)}
    assert found[acme.alice.pk].unread_notifications == 2 == unread_count(acme.alice)
    assert found[other.pk].unread_notifications == 1 == unread_count(other)
    # Without it (a POST), nothing is read for the bell and the page asks.
    assert not hasattr(_memberships_of(acme.alice.user_id)[0], "unread_notifications")


def test_a_get_page_counts_in_the_membership_statement(acme, as_member):
    client = as_member(acme.alice)
    notify(organisation_id=acme.org.pk, user_id=acme.alice.user_id, text="call back")
    client.get("/leads/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/leads/")
    assert page.context["unread_notifications"] == 1
    table, memberships = Notification._meta.db_table, Membership._meta.db_table
    alone = [q["sql"] for q in ctx.captured_queries if table in q["sql"] and memberships not in q["sql"]]
    assert alone == []  # counted with the membership
    Notification.objects.update(read_at=timezone.now())
    assert client.get("/leads/").context["unread_notifications"] == 0


def test_a_page_without_the_count_asks_for_it(acme):
    """What a POST's page renders: the membership read without the count, the bell asked."""
    notify(organisation_id=acme.org.pk, user_id=acme.alice.user_id, text="new lead")
    request = RequestFactory().post("/leads/")
    request.membership = _memberships_of(acme.alice.user_id)[0]
    request.org = request.membership.organisation
    request.other_memberships = []
    with CaptureQueriesContext(connection) as ctx:
        assert shell(request)["unread_notifications"] == 1
    assert any(Notification._meta.db_table in q["sql"] for q in ctx.captured_queries)


def test_an_api_read_with_a_session_does_not_count(acme, as_member):
    """The API renders no page and so no bell: its GETs read the membership without the count."""
    client = as_member(acme.alice)
    notify(organisation_id=acme.org.pk, user_id=acme.alice.user_id, text="call back")
    with CaptureQueriesContext(connection) as ctx:
        answer = client.get("/api/v1/me")
    assert answer.status_code == 200
    table = Notification._meta.db_table
    assert not [q["sql"] for q in ctx.captured_queries if table in q["sql"]]
    assert not hasattr(answer.wsgi_request.membership, "unread_notifications")
