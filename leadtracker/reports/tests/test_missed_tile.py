"""The dashboard's "missed calls waiting" tile opens the missed-calls list with the dashboard's
team, and the list shows exactly the call-backs the tile counted: for the whole organisation,
for a team, and for a manager's own subtree."""

from urllib.parse import parse_qs, urlsplit

from leadtracker.accounts.audit import Actor
from leadtracker.calls.models import CallBack
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.testing import call, login_client, make_lead, open_shift, paired_client, send


def missed_calls_waiting(people) -> None:
    """Open call-backs: Alice two and one for a lead given to nobody since, Bob (in Mani's
    team, under Maya) one, Carl (Mark's team) one."""
    numbers = {
        "alice": ["+919811100001", "+919811100002", "+919811100003"],
        "bob": ["+919811100004"],
        "carl": ["+919811100005"],
    }
    leads = {}
    for key, owned in numbers.items():
        member = getattr(people, key)
        for number in owned:
            leads[number] = make_lead(people, phones=[number], owner=member)
        open_shift(member)
        batch = [
            call(i, number=n, type="missed", duration_s=0, minutes_ago=30 + i) for i, n in enumerate(owned)
        ]
        assert send(paired_client(member), batch).json()["stored"] == len(owned)
    olga = Actor.for_user(people.olga.user)
    assign_lead(leads["+919811100003"], None, actor=olga, by=people.olga)
    assert CallBack.objects.filter(closed_at__isnull=True, assignee__isnull=True).count() == 1


def tile_and_list(viewer, query: str = ""):
    """The tile's count, and the call-backs the list behind the tile shows."""
    client = login_client(viewer)
    dashboard = client.get(f"/dashboard/{query}")
    assert dashboard.status_code == 200
    link = dashboard.context["links"]["missed"]
    assert f'data-tile="missed" href="{link.replace("&", "&amp;")}"' in dashboard.content.decode()
    listed = client.get(link)
    assert listed.status_code == 200
    page = listed.content.decode()
    ids = [cb.pk for cb in listed.context["rows"]]
    assert page.count("data-call-back=") == len(ids)
    assert f'data-missed-total="{len(ids)}"' in page
    return dashboard.context["live"]["missed_waiting"], link, ids


def open_for(*members) -> list[int]:
    return sorted(
        CallBack.objects.filter(
            closed_at__isnull=True, assignee_id__in=[m.user_id for m in members]
        ).values_list("pk", flat=True)
    )


def test_the_whole_organisation(acme):
    missed_calls_waiting(acme)
    count, link, ids = tile_and_list(acme.olga)
    assert link == "/calls/missed/"
    assert count == len(ids) == 5
    assert sorted(ids) == sorted(CallBack.objects.filter(closed_at__isnull=True).values_list("pk", flat=True))


def test_a_team(acme):
    missed_calls_waiting(acme)
    # Maya's team is her subtree: Alice, and Bob under Mani. The lead given to nobody is
    # nobody's team's.
    count, link, ids = tile_and_list(acme.olga, f"?team={acme.maya.pk}")
    assert urlsplit(link).path == "/calls/missed/"
    assert parse_qs(urlsplit(link).query) == {"team": [str(acme.maya.pk)]}
    assert count == len(ids) == 3
    assert sorted(ids) == open_for(acme.alice, acme.bob)
    count, _, ids = tile_and_list(acme.olga, f"?team={acme.mark.pk}&range=today")
    assert count == len(ids) == 1 and ids == open_for(acme.carl)


def test_a_manager_without_and_with_a_team(acme):
    missed_calls_waiting(acme)
    # Maya sees her subtree's call-backs and the one nobody has yet (managers hand those out).
    count, _, ids = tile_and_list(acme.maya)
    assert count == len(ids) == 4
    assert set(open_for(acme.alice, acme.bob)) < set(ids)
    count, _, ids = tile_and_list(acme.maya, f"?team={acme.mani.pk}")
    assert count == len(ids) == 1 and ids == open_for(acme.bob)
