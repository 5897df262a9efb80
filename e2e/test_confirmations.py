"""Destructive actions ask first, in a real browser on a 360-pixel phone: the dialog names the
action and the count the server just read, Cancel changes nothing, Confirm runs it. A merge
shows the two leads side by side first, without sideways scrolling."""

from playwright.sync_api import expect

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def make_leads(people, n, **fields):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    return [
        create_lead(
            people.org,
            LeadData(name=f"Lead {i}", phones=[f"98765 4321{i}"], **fields),
            actor=Actor.system(),
            by=people.olga,
        )[0]
        for i in range(n)
    ]


def visible(people, ids):
    from leadtracker.leads.selectors import leads_for

    return leads_for(people.olga).filter(pk__in=ids).count()


def test_deleting_a_status_asks_with_its_count(phone, live_server, people, login):
    from leadtracker.leads.models import Lead, LeadStatus

    contacted = LeadStatus.objects.get(organisation=people.org, name="Contacted")
    leads = make_leads(people, 3)
    Lead.objects.filter(pk__in=[lead.pk for lead in leads[:2]]).update(status=contacted)
    login(phone, live_server.url, "olga@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/settings/")
    field = phone.locator("input[value='Contacted']")
    dialog = phone.locator("dialog.confirm-dialog")

    field.fill("")
    phone.click("button:has-text('Save pipeline')")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Delete status “Contacted”?")
    expect(dialog).to_contain_text("2 leads have it; they move to “New”.")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    dialog.locator("a:has-text('Cancel')").click()
    expect(dialog).to_be_hidden()
    assert LeadStatus.objects.get(pk=contacted.pk).is_active
    assert Lead.objects.filter(status=contacted).count() == 2

    phone.click("button:has-text('Save pipeline')")  # the name is still cleared
    expect(dialog).to_be_visible()
    dialog.locator("button:has-text('Delete status')").click()
    expect(phone.locator(".flash")).to_contain_text("Saved")
    assert not LeadStatus.objects.filter(pk=contacted.pk).exists()
    assert Lead.objects.filter(pk__in=[lead.pk for lead in leads], status__name="New").count() == 3


def test_bulk_delete_asks_with_the_number_ticked(phone, live_server, people, login):
    leads = make_leads(people, 3)
    ids = [lead.pk for lead in leads[:2]]
    login(phone, live_server.url, "olga@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/")
    for pk in ids:
        phone.check(f"#bulk input[name=ids][value='{pk}']")
    phone.select_option("#b-action", "delete")
    dialog = phone.locator("dialog.confirm-dialog")

    phone.click("#bulk button[type=submit]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Move 2 leads to trash?")
    expect(dialog).to_contain_text("for 30 days")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    dialog.locator("a:has-text('Cancel')").click()
    expect(dialog).to_be_hidden()
    assert visible(people, ids) == 2

    phone.click("#bulk button[type=submit]")
    dialog.locator("button:has-text('Move 2 leads to trash')").click()
    expect(phone.locator(".flash")).to_be_visible()
    assert visible(people, ids) == 0
    assert visible(people, [leads[2].pk]) == 1


def test_merge_shows_both_leads_side_by_side_then_merges(phone, live_server, people, login):
    from leadtracker.leads.models import Lead

    a, b = make_leads(people, 2, company="Rao Textiles")
    Lead.objects.filter(pk__in=[a.pk, b.pk]).update(name="Asha Rao")
    Lead.objects.filter(pk=b.pk).update(email="asha.rao.long.address@raotextiles.example.in")
    login(phone, live_server.url, "olga@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/duplicates/")

    phone.click("a:has-text('Compare and merge')")
    expect(phone.locator("#merge-grid")).to_be_visible()
    left, right = phone.locator("#merge-a").bounding_box(), phone.locator("#merge-b").bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and left["x"] + left["width"] <= right["x"]
    assert right["x"] + right["width"] <= 360
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    email = phone.locator(".merge-cell[data-field='E-mail'].wins")
    expect(email).to_contain_text("asha.rao.long.address@raotextiles.example.in")
    expect(email).to_contain_text("✓ kept")
    kept_id = int(phone.url.split("/leads/")[1].split("/")[0])
    other_id = b.pk if kept_id == a.pk else a.pk

    phone.click("button:has-text('Merge')")
    expect(phone.locator(".flash")).to_contain_text("Merged")
    assert not Lead.objects.filter(pk=other_id).exists()
    assert Lead.objects.get(pk=kept_id).email == "asha.rao.long.address@raotextiles.example.in"
