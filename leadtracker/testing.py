"""Helpers for tests: named people in an organisation, signed-in clients. Used by the
unit tests and the browser tests alike."""

from types import SimpleNamespace

PASSWORD = "correct-horse-battery-42"
_HASH: list[str] = []


def _password_hash() -> str:
    if not _HASH:
        from django.contrib.auth.hashers import make_password

        _HASH.append(make_password(PASSWORD))
    return _HASH[0]


def make_org(slug: str, name: str | None = None):
    """An organisation with a tree of people:

    olga (owner)
    ├── adam (admin)
    ├── maya (manager) ── alice (agent)
    │    └── mani (manager) ── bob (agent)
    └── mark (manager) ── carl (agent)
    """
    from leadtracker.accounts.actions import create_organisation
    from leadtracker.accounts.models import Membership, Role, User

    org, owner = create_organisation(
        name=name or slug.title(),
        slug=slug,
        owner_email=f"olga@{slug}.test",
        owner_name="Olga Owner",
        password=PASSWORD,
    )
    people = SimpleNamespace(org=org, olga=owner)

    def add(key, role, manager=None):
        user = User(email=f"{key}@{slug}.test", full_name=f"{key.title()} {slug.title()}")
        user.password = _password_hash()  # argon2 is slow by design: hash once per run
        user.save()
        m = Membership.objects.create(organisation=org, user=user, role=role, reports_to=manager)
        setattr(people, key, m)
        return m

    add("adam", Role.ADMIN, owner)
    add("maya", Role.MANAGER, owner)
    add("mark", Role.MANAGER, owner)
    add("mani", Role.MANAGER, people.maya)
    add("alice", Role.AGENT, people.maya)
    add("bob", Role.AGENT, people.mani)
    add("carl", Role.AGENT, people.mark)
    return people


def login_client(member):
    from django.test import Client

    client = Client()
    client.force_login(member.user, backend="leadtracker.accounts.auth.EmailBackend")
    session = client.session
    session["org_id"] = member.organisation_id
    session.save()
    return client


def token_client(member, kind="personal"):
    from django.test import Client

    from leadtracker.accounts.actions import create_api_token
    from leadtracker.accounts.audit import Actor

    _token, raw = create_api_token(member, name="test", actor=Actor.system(), kind=kind)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.raw_token = raw
    return client
