"""Issue 21: a signed-in page reads the person, their memberships and organisations in one query
(accounts/middleware.py) instead of Django's user look-up and then the membership — and keeps
every check Django's own path makes: the session's password hash, an active person, an active
membership, the organisation the session chose."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.models import Membership, Role


def test_a_password_changed_elsewhere_signs_this_session_out(acme, as_member):
    web = as_member(acme.alice)
    assert web.get("/leads/").status_code == 200
    user = acme.alice.user
    user.set_password("a new one, somewhere else")
    user.save()
    response = web.get("/leads/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert "_auth_user_id" not in web.session  # flushed, as Django does


def test_a_deactivated_person_is_signed_out(acme, as_member):
    web = as_member(acme.alice)
    type(acme.alice.user).objects.filter(pk=acme.alice.user_id).update(is_active=False)
    response = web.get("/leads/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_sessions_organisation_and_the_others_in_the_header(acme, globex, as_member):
    Membership.objects.create(organisation=globex.org, user=acme.alice.user, role=Role.AGENT)
    web = as_member(acme.alice)  # the session chose acme, the older membership
    response = web.get("/leads/")
    assert response.context["org"] == acme.org
    assert [m.organisation for m in response.context["other_memberships"]] == [globex.org]
    session = web.session
    session["org_id"] = globex.org.pk
    session.save()
    response = web.get("/leads/")
    assert response.context["org"] == globex.org
    assert [m.organisation for m in response.context["other_memberships"]] == [acme.org]
    assert response.context["user"] == acme.alice.user


def test_one_query_for_the_person_and_their_memberships(acme, as_member):
    web = as_member(acme.alice)
    web.get("/leads/")
    with CaptureQueriesContext(connection) as ctx:
        assert web.get("/leads/").status_code == 200
    # The person or their membership read by any statement but the one (hand-written, middleware.py).
    sql = [q["sql"] for q in ctx.captured_queries]
    reads = [q for q in sql if 'FROM "accounts_user"' in q or 'FROM "accounts_membership" INNER' in q]
    reads += [q for q in sql if 'FROM "accounts_membership" m JOIN "accounts_organisation" o' in q]
    assert len(set(reads)) == 1 and "m JOIN" in reads[0], reads
