"""Before a merge the web shows the two leads side by side, which value of each field stays
(read from leads/actions/merge.py:plan_merge, the rule the merge applies) and what moves; the
merge runs only from there. The API merges directly."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.calls.actions import log_call
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import add_note
from leadtracker.leads.models import Lead, LeadSource
from leadtracker.testing import html_region


def cells(response):
    """{(field, side): (text, kept)} of the preview's grid."""
    content = response.content.decode()
    grid = html_region(content, "merge-grid")
    assert grid is not None, "no side-by-side grid on the page"
    # html_region gives elements in order; the cells are the divs with class merge-cell.
    found = [(classes, text) for tag, classes, text in grid.elements if "merge-cell" in classes]
    labels = [text for tag, classes, text in grid.elements if "merge-label" in classes]
    out = {}
    for i, (classes, text) in enumerate(found):
        label = labels[i // 2].split(" — ")[0]
        out[(label, "ab"[i % 2])] = (text, "wins" in classes)
    return out


def pair(acme, new_lead):
    actor = Actor.for_user(acme.maya.user)
    web = LeadSource.objects.create(organisation=acme.org, name="Website")
    a = new_lead(acme, name="Raj", phone="98765 43210", value="500000", tags=["hot"], by=acme.maya)
    b = new_lead(
        acme,
        name="Raj Sharma",
        company="Sharma Traders",
        email="raj@example.in",
        phones=["91234 56789"],
        value="2500000",
        tags=["diwali"],
        do_not_call=True,
        by=acme.maya,
    )
    Lead.objects.filter(pk=a.pk).update(owner=acme.alice.user)
    Lead.objects.filter(pk=b.pk).update(owner=acme.bob.user, source=web)
    add_note(b, "Wants a 3BHK", actor=actor, by=acme.maya)
    add_note(b, "Call after Diwali", actor=actor, by=acme.maya)
    schedule_follow_up(b, due_at=timezone.now() + dt.timedelta(days=1), actor=actor, by=acme.maya)
    log_call(acme.maya, lead=b, number="+919123456789", duration_s=60, actor=actor)
    return Lead.objects.get(pk=a.pk), Lead.objects.get(pk=b.pk)


def test_the_preview_shows_both_leads_and_which_value_stays(acme, new_lead, as_member):
    a, b = pair(acme, new_lead)
    client = as_member(acme.maya)

    response = client.get(f"/leads/{a.pk}/merge/", {"duplicate": b.pk})

    assert response.status_code == 200
    assert html_region(response.content, "merge-a").text == f"Stays Raj #{a.pk}"
    assert html_region(response.content, "merge-b").text == f"Merged in, then deleted Raj Sharma #{b.pk}"
    grid = cells(response)
    # Both have a name: the kept lead's stays, the other is noted on the timeline.
    assert grid[("Name", "a")] == ("Raj ✓ kept", True)
    assert grid[("Name", "b")] == ("Raj Sharma — kept as a note on the timeline", False)
    # Only the duplicate has these: they come over.
    assert grid[("E-mail", "b")] == ("raj@example.in ✓ kept", True)
    assert grid[("Company", "b")] == ("Sharma Traders ✓ kept", True)
    assert grid[("Source", "b")] == ("Website ✓ kept", True)
    # Both have an owner and a status: the kept lead's.
    assert grid[("Owner", "a")] == ("Alice Acme ✓ kept", True)
    assert grid[("Owner", "b")] == ("Bob Acme", False)
    assert grid[("Status", "a")][1] and grid[("Status", "a")][0].endswith("✓ same")
    # The larger amount, in Indian grouping; do-not-call if either says so.
    assert grid[("Value", "b")] == ("₹25,00,000 ✓ kept", True)
    assert grid[("Value", "a")] == ("₹5,00,000", False)
    assert grid[("Do not call", "b")] == ("Yes ✓ kept", True)
    # Numbers and tags: those of both.
    assert grid[("Numbers", "a")] == ("+91 98765 43210", True)
    assert grid[("Numbers", "b")] == ("+91 91234 56789", True)
    assert grid[("Tags", "a")] == ("hot", True) and grid[("Tags", "b")] == ("diwali", True)
    moves = html_region(response.content, "merge-moves").text
    assert "(2 notes)" in moves and "1 follow-up (1 still open)" in moves and "1 call " in f"{moves} "
    assert Lead.objects.filter(pk=b.pk).exists()  # looking merged nothing


def test_what_the_preview_marks_kept_is_what_the_merge_keeps(acme, new_lead, as_member):
    a, b = pair(acme, new_lead)
    client = as_member(acme.maya)
    grid = cells(client.get(f"/leads/{a.pk}/merge/", {"duplicate": b.pk}))

    response = client.post(f"/leads/{a.pk}/merge/", {"duplicate": b.pk, "confirm": "yes"})

    assert response.status_code == 302
    assert not Lead.objects.filter(pk=b.pk).exists()
    merged = Lead.objects.select_related("owner", "source", "status").get(pk=a.pk)
    kept = {label: text.split(" ✓")[0] for (label, side), (text, wins) in grid.items() if wins}
    assert kept["Name"] == merged.name
    assert kept["E-mail"] == merged.email
    assert kept["Company"] == merged.company
    assert kept["Owner"] == str(merged.owner)
    assert kept["Source"] == merged.source.name
    assert kept["Status"] == merged.status.name
    assert merged.value == Decimal("2500000")
    assert merged.do_not_call is True
    assert merged.activities.filter(kind="note").count() == 2


def test_a_post_without_confirmation_only_shows_the_preview(acme, new_lead, as_member):
    a, b = pair(acme, new_lead)
    response = as_member(acme.maya).post(f"/leads/{a.pk}/merge/", {"duplicate": b.pk})
    assert response.status_code == 200
    assert html_region(response.content, "merge-grid") is not None
    assert Lead.objects.filter(pk=b.pk).exists()


def test_the_preview_can_swap_which_lead_stays(acme, new_lead, as_member):
    a, b = pair(acme, new_lead)
    client = as_member(acme.maya)
    swapped = client.get(f"/leads/{b.pk}/merge/", {"duplicate": a.pk})
    grid = cells(swapped)
    assert grid[("Owner", "a")] == ("Bob Acme ✓ kept", True)  # now Raj Sharma's owner stays
    assert grid[("Name", "a")] == ("Raj Sharma ✓ kept", True)


def test_the_duplicates_page_leads_to_the_preview(acme, new_lead, as_member):
    a = new_lead(acme, name="Asha", company="Rao Textiles", phone="98765 43210", by=acme.maya)
    b = new_lead(acme, name="Asha", company="Rao Textiles", phone="91234 56789", by=acme.maya)
    page = as_member(acme.maya).get("/leads/duplicates/").content.decode()
    first, second = a.pk, b.pk  # whichever the page offers to keep
    assert (
        f"/leads/{first}/merge/?duplicate={second}" in page
        or f"/leads/{second}/merge/?duplicate={first}" in page
    )


def test_agents_and_other_organisations_get_no_preview(acme, globex, new_lead, as_member):
    a, b = pair(acme, new_lead)
    theirs = new_lead(globex, name="Theirs")
    assert as_member(acme.alice).get(f"/leads/{a.pk}/merge/", {"duplicate": b.pk}).status_code == 403
    assert as_member(globex.olga).get(f"/leads/{a.pk}/merge/", {"duplicate": theirs.pk}).status_code == 404
    # Their lead as the duplicate: not found, nothing merged.
    response = as_member(acme.maya).post(f"/leads/{a.pk}/merge/", {"duplicate": theirs.pk, "confirm": "yes"})
    assert response.status_code == 302
    assert Lead.objects.filter(pk=theirs.pk).exists()


def test_the_api_merges_directly(acme, new_lead, api_as):
    a, b = pair(acme, new_lead)
    response = api_as(acme.maya).post(
        f"/api/v1/leads/{a.pk}/merge", {"duplicate_id": b.pk}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert not Lead.objects.filter(pk=b.pk).exists()
