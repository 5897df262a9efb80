"""The demo organisation: people in two teams. Later apps add their data through DEMO_HOOKS."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from leadtracker.accounts import actions
from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Organisation, Role, User

DEMO_SLUG = "demo"
DEMO_PASSWORD = "leadtracker-demo"
DEMO_DOMAIN = "demo.leadtracker.example"

PEOPLE = [
    # (local part, full name, role, manager's local part, phone)
    ("owner", "Asha Verma", Role.OWNER, None, "+919812300001"),
    ("ravi", "Ravi Kumar", Role.MANAGER, "owner", "+919812300002"),
    ("meera", "Meera Iyer", Role.MANAGER, "owner", "+919812300003"),
    ("sunil", "Sunil Yadav", Role.AGENT, "ravi", "+919812300004"),
    ("pooja", "Pooja Sharma", Role.AGENT, "ravi", "+919812300005"),
    ("imran", "Imran Khan", Role.AGENT, "ravi", "+919812300006"),
    ("lakshmi", "Lakshmi Reddy", Role.AGENT, "meera", "+919812300007"),
    ("arjun", "अर्जुन सिंह", Role.AGENT, "meera", "+919812300008"),
    ("fatima", "Fatima Sheikh", Role.AGENT, "meera", "+919812300009"),
]

# Each later app appends a function(org, members_by_key) that adds its demo data.
DEMO_HOOKS: list = []


def email_of(key: str) -> str:
    return f"{key}@{DEMO_DOMAIN}"


@transaction.atomic
def load_demo(*, reset: bool = False) -> tuple[Organisation, bool]:
    """Create the demo organisation if missing (or anew with ``reset``); True if created."""
    existing = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None and not reset:
        return existing, False
    if existing is not None:
        existing.delete()
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", memberships__isnull=True).delete()
    org, owner = actions.create_organisation(
        name="Sharma Realty (demo)",
        slug=DEMO_SLUG,
        owner_email=email_of("owner"),
        owner_name="Asha Verma",
        support_email=f"support@{DEMO_DOMAIN}",
        shift_location=True,
        support_phone="+911140000000",
    )
    members = {"owner": owner}
    actor = Actor.for_user(owner.user)
    # Hashed once for the nine people: argon2 costs most of a second a password by design, and
    # the demo's password is printed for everyone to use (a salt of its own each protects nothing).
    password = make_password(DEMO_PASSWORD)
    for key, name, role, manager_key, phone in PEOPLE:
        user, _ = User.objects.get_or_create(email=email_of(key), defaults={"full_name": name})
        user.full_name = name
        user.phone = phone
        user.password = password
        user.save()
        if key == "owner":
            continue
        member = Membership.objects.create(
            organisation=org, user=user, role=role, reports_to=members.get(manager_key)
        )
        record("member.add", organisation=org, actor=actor, obj=member, changes={"role": role})
        members[key] = member
    for hook in DEMO_HOOKS:
        hook(org, members)
    return org, True


def logins() -> list[tuple[str, str, str]]:
    return [(email_of(key), DEMO_PASSWORD, f"{role.label} — {name}") for key, name, role, _m, _p in PEOPLE]
