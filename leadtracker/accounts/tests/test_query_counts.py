"""Hot pages and endpoints read a fixed number of queries, however many rows they show."""

from django.contrib.auth.hashers import make_password

from leadtracker.accounts.models import Membership, Role, User


def grow(people, n):
    users = User.objects.bulk_create(
        [
            User(email=f"extra{i}@acme.test", full_name=f"Extra {i}", password=make_password(None))
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(organisation=people.org, user=u, role=Role.AGENT, reports_to=people.mani) for u in users]
    )


def count(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_members_api_query_count_does_not_grow(acme, api_as):
    owner, manager = api_as(acme.olga), api_as(acme.maya)
    owner.get("/api/v1/members")  # first use writes last_used_at; measure steady state
    manager.get("/api/v1/members")
    small = (count(lambda: owner.get("/api/v1/members")), count(lambda: manager.get("/api/v1/members")))
    grow(acme, 40)
    large = (count(lambda: owner.get("/api/v1/members")), count(lambda: manager.get("/api/v1/members")))
    assert small == large
    # token with its membership (one query), subtree (manager only), the throttle's upsert, the page
    assert large == (3, 4), large


def test_members_page_query_count_does_not_grow(acme, as_member):
    client = as_member(acme.olga)
    client.get("/members/")
    small = count(lambda: client.get("/members/"))
    grow(acme, 40)
    large = count(lambda: client.get("/members/"))
    assert small == large == 5, large  # the unread-notifications badge read with the membership


def test_audit_page_query_count_does_not_grow(acme, as_member):
    client = as_member(acme.olga)
    client.get("/audit/")
    small = count(lambda: client.get("/audit/"))
    grow(acme, 40)  # no events for bulk rows; add some
    from leadtracker.accounts.actions import create_api_token
    from leadtracker.accounts.audit import Actor

    for i in range(30):
        create_api_token(acme.alice, name=f"t{i}", actor=Actor.for_user(acme.alice.user))
    large = count(lambda: client.get("/audit/"))
    assert small == large == 4, large  # incl. the people of the "Who" filter, one query
