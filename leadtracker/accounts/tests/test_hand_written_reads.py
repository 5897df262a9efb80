"""Issue 21: the reads every request makes — the API token with its membership, the signed-in
person's memberships, the session — are hand-written statements (lib/rows.py). They must make
the objects the ORM would (every column, converted as the ORM converts it, savable), and
cache nothing: a revoked token, a removed member, a changed role count on the next request."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone

from leadtracker.accounts.actions import create_api_token
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.auth import authenticate_token
from leadtracker.accounts.middleware import _memberships_of
from leadtracker.accounts.models import ApiToken, Membership, Organisation, Role, User


def columns(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def same_as_read_by_the_orm(obj):
    """Every column equal, of the same type, to what the ORM reads; an object that saves."""
    read = type(obj).objects.get(pk=obj.pk)
    assert columns(obj) == columns(read)
    assert [type(v) for v in columns(obj).values()] == [type(v) for v in columns(read).values()]
    assert not obj._state.adding and obj._state.db == "default"


def test_the_token_read_makes_what_the_orm_reads(acme):
    _token, raw = create_api_token(acme.alice, name="t", actor=Actor.system())
    token, membership = authenticate_token(raw)
    for obj in (token, membership, membership.organisation, membership.user):
        same_as_read_by_the_orm(obj)
    assert token.last_used_at is not None and timezone.is_aware(token.last_used_at)
    assert membership.organisation is token.organisation and membership.user is token.user
    assert membership == acme.alice and membership.role == acme.alice.role
    membership.role = Role.MANAGER
    membership.save(update_fields=["role"])  # an update of the row read, not an insert
    assert Membership.objects.get(pk=membership.pk).role == Role.MANAGER


def test_the_token_counts_its_changes_at_once(acme, globex):
    _token, raw = create_api_token(acme.alice, name="t", actor=Actor.system())
    Membership.objects.filter(pk=acme.alice.pk).update(role=Role.MANAGER)
    assert authenticate_token(raw)[1].role == Role.MANAGER
    # A membership in another organisation is not the token's.
    Membership.objects.create(organisation=globex.org, user=acme.alice.user, role=Role.ADMIN)
    assert authenticate_token(raw)[1].organisation == acme.org
    Membership.objects.filter(pk=acme.alice.pk).update(is_active=False)
    assert authenticate_token(raw) is None
    Membership.objects.filter(pk=acme.alice.pk).update(is_active=True)
    User.objects.filter(pk=acme.alice.user_id).update(is_active=False)
    assert authenticate_token(raw) is None
    User.objects.filter(pk=acme.alice.user_id).update(is_active=True)
    assert authenticate_token(raw) is not None
    ApiToken.objects.filter(user=acme.alice.user).update(revoked_at=timezone.now())
    assert authenticate_token(raw) is None
    assert authenticate_token(raw + "x") is None


def test_a_persons_memberships_oldest_first_as_the_orm_reads_them(acme, globex):
    later = Membership.objects.create(
        organisation=globex.org,
        user=acme.alice.user,
        role=Role.AGENT,
        created_at=acme.alice.created_at + dt.timedelta(days=1),
    )
    found = _memberships_of(str(acme.alice.user_id))  # as the session keeps it
    assert [m.pk for m in found] == [acme.alice.pk, later.pk]
    for m in found:
        same_as_read_by_the_orm(m)
        same_as_read_by_the_orm(m.organisation)
        same_as_read_by_the_orm(m.user)
    assert isinstance(found[1].organisation, Organisation) and found[1].organisation == globex.org
    Membership.objects.filter(pk=later.pk).update(is_active=False)
    assert [m.pk for m in _memberships_of(acme.alice.user_id)] == [acme.alice.pk]
    assert _memberships_of("not an id") == []


def test_an_expired_session_is_signed_out(acme, as_member):
    web = as_member(acme.alice)
    assert web.get("/leads/").status_code == 200
    Session.objects.filter(session_key=web.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = web.get("/leads/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_signing_out_ends_the_session_for_every_request(acme, as_member):
    web = as_member(acme.alice)
    key = web.session.session_key
    assert web.get("/leads/").status_code == 200
    Session.objects.filter(session_key=key).delete()  # as signing out elsewhere does
    response = web.get("/leads/")
    assert response.status_code == 302 and "/login/" in response["Location"]
