"""The missed-calls list narrowed to a team (a manager's membership id, as on the dashboard):
only call-backs assigned to that manager's subtree; a team the viewer may not see is a 404,
another organisation's included; a team that is not an id is named as the bad field."""

from leadtracker.calls.models import CallBack
from leadtracker.testing import call, make_lead, open_shift, paired_client, send


def missed_from_own_leads(people, *members) -> None:
    for i, member in enumerate(members):
        number = f"+91981110{i:04d}"
        make_lead(people, phones=[number], owner=member)
        open_shift(member)
        assert (
            send(paired_client(member), [call(i, number=number, type="missed", duration_s=0)]).status_code
            == 200
        )


def listed(client, query=""):
    response = client.get(f"/calls/missed/{query}")
    assert response.status_code == 200
    return sorted(cb.assignee_id for cb in response.context["rows"])


def test_only_the_teams_call_backs(acme, as_member):
    missed_from_own_leads(acme, acme.alice, acme.bob, acme.carl)
    owner = as_member(acme.olga)
    assert listed(owner) == sorted([acme.alice.user_id, acme.bob.user_id, acme.carl.user_id])
    assert listed(owner, f"?team={acme.maya.pk}") == sorted([acme.alice.user_id, acme.bob.user_id])
    assert listed(owner, f"?team={acme.mani.pk}") == [acme.bob.user_id]
    assert listed(owner, f"?team={acme.mark.pk}") == [acme.carl.user_id]
    page = owner.get(f"/calls/missed/?team={acme.mark.pk}").content.decode()
    assert f'<option value="{acme.mark.pk}" selected>Mark Acme\'s team</option>' in page


def test_another_organisations_team_is_404(acme, globex, as_member):
    missed_from_own_leads(acme, acme.alice)
    missed_from_own_leads(globex, globex.alice)
    for viewer in (acme.olga, acme.adam, acme.maya):
        assert as_member(viewer).get(f"/calls/missed/?team={globex.maya.pk}").status_code == 404
    assert as_member(acme.olga).get("/calls/missed/?team=999999999").status_code == 404


def test_a_manager_cannot_pass_a_team_outside_their_subtree(acme, as_member):
    missed_from_own_leads(acme, acme.alice, acme.bob, acme.carl)
    maya = as_member(acme.maya)
    assert maya.get(f"/calls/missed/?team={acme.mark.pk}").status_code == 404
    # Her own team and the team under hers are hers to pick.
    assert listed(maya, f"?team={acme.mani.pk}") == [acme.bob.user_id]
    assert listed(maya, f"?team={acme.maya.pk}") == sorted([acme.alice.user_id, acme.bob.user_id])
    # Mani, under Maya, cannot look up at her team; an agent has no team to pick.
    assert as_member(acme.mani).get(f"/calls/missed/?team={acme.maya.pk}").status_code == 404
    assert as_member(acme.alice).get(f"/calls/missed/?team={acme.maya.pk}").status_code == 404
    # A manager's id that is not a team lead's (an agent's membership) is no team either.
    assert as_member(acme.olga).get(f"/calls/missed/?team={acme.alice.pk}").status_code == 404


def test_a_team_that_is_not_an_id_is_named(acme, as_member):
    missed_from_own_leads(acme, acme.alice)
    response = as_member(acme.olga).get("/calls/missed/?team=maya")
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Team: choose a team from the list" in response.content.decode()
    assert CallBack.objects.filter(closed_at__isnull=True).count() == 1  # there was one to hide
    # A digit that is not a decimal one (superscript two) is no id either, not a crash.
    response = as_member(acme.olga).get("/calls/missed/?team=²")
    assert response.status_code == 200 and "Team: choose a team from the list" in response.content.decode()
