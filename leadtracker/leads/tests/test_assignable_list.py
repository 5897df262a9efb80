"""The members a person may hand a lead to, as the lead page and the leads page offer them
(selectors.assignable_list: a statement written once for an admin), are the queryset's: the same
members in the same order (by name, then id when names are alike), each with its user, inactive
members left out; a manager's and an agent's by the queryset itself."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.accounts.models import Membership, Role, User
from leadtracker.leads.selectors import assignable_list, assignable_members


def rows_of(members) -> list[tuple]:
    return [(m.pk, m.role, m.is_active, m.user_id, m.user.full_name, m.user.email) for m in members]


def test_the_list_is_the_querysets(acme, globex):
    for i, name in enumerate(["Zoya", "Asha", "Asha", "Ravi", "Asha"]):  # alike names: ordered by id
        user = User.objects.create(email=f"p{i}@acme.test", full_name=name)
        Membership.objects.create(organisation=acme.org, user=user, role=Role.AGENT, is_active=i != 3)
    for viewer in (acme.olga, acme.adam, acme.maya, acme.alice, globex.olga):
        with CaptureQueriesContext(connection) as ctx:
            got = assignable_list(viewer)
        if viewer.has_role(Role.ADMIN):
            assert len(ctx.captured_queries) == 1
        assert rows_of(got) == rows_of(assignable_members(viewer))
    names = [m.user.full_name for m in assignable_list(acme.olga)]
    assert names.count("Asha") == 3 and "Ravi" not in names  # Ravi is inactive
    assert {m.organisation_id for m in assignable_list(globex.olga)} == {globex.org.pk}
