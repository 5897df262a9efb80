"""Each role sees what it should: agent own, manager own subtree (any depth), admin/owner all."""

import pytest

from leadtracker.accounts.models import ApiToken, Membership
from leadtracker.accounts.visibility import visible, visible_memberships, visible_user_ids


def names(qs):
    return sorted(m.user.email.split("@")[0] for m in qs.select_related("user"))


@pytest.mark.parametrize(
    "viewer, expected",
    [
        ("olga", ["adam", "alice", "bob", "carl", "mani", "mark", "maya", "olga"]),
        ("adam", ["adam", "alice", "bob", "carl", "mani", "mark", "maya", "olga"]),
        ("maya", ["alice", "bob", "mani", "maya"]),  # bob is two levels down
        ("mani", ["bob", "mani"]),
        ("mark", ["carl", "mark"]),
        ("alice", ["alice"]),
        ("bob", ["bob"]),
    ],
)
def test_members_visible_by_role(acme, globex, viewer, expected):
    member = getattr(acme, viewer)
    assert names(visible_memberships(member)) == expected


def test_visible_never_crosses_organisations(acme, globex):
    # ApiToken has organisation and user, like every owned row; use it as the sample model.
    from leadtracker.accounts.actions import create_api_token
    from leadtracker.accounts.audit import Actor

    mine, _ = create_api_token(acme.alice, name="a", actor=Actor.system())
    theirs, _ = create_api_token(globex.alice, name="b", actor=Actor.system())
    for viewer in (acme.olga, acme.maya, acme.alice):
        rows = set(visible(ApiToken.objects.all(), viewer, owner_field="user"))
        assert mine in rows
        assert theirs not in rows


def test_manager_user_ids_follow_reassignment(acme):
    assert acme.carl.user_id not in visible_user_ids(acme.maya)
    Membership.objects.filter(pk=acme.carl.pk).update(reports_to=acme.mani)
    fresh = Membership.objects.get(pk=acme.maya.pk)  # as the next request loads it
    assert acme.carl.user_id in visible_user_ids(fresh)
    assert visible_user_ids(acme.olga) is None  # owner: whole organisation


def test_members_api_applies_visibility(acme, api_as):
    body = api_as(acme.mani).get("/api/v1/members").json()
    assert sorted(m["email"].split("@")[0] for m in body["items"]) == ["bob", "mani"]
    assert api_as(acme.mani).get(f"/api/v1/members/{acme.alice.pk}").status_code == 404
    assert api_as(acme.maya).get(f"/api/v1/members/{acme.bob.pk}").status_code == 200


def test_members_page_applies_visibility(acme, as_member):
    page = as_member(acme.mark).get("/members/").content.decode()
    assert "carl@acme.test" in page and "alice@acme.test" not in page
    assert as_member(acme.mark).get(f"/members/{acme.alice.pk}/").status_code == 404
    assert as_member(acme.alice).get("/members/").status_code == 403  # agents have no team page


def test_members_list_pages_with_keyset_cursor(acme, api_as):
    client = api_as(acme.olga)
    seen, cursor = [], None
    while True:
        url = "/api/v1/members?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [m["id"] for m in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == 8
