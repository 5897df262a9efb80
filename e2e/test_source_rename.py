"""A source renamed from its own small form on the settings page, on a 360-pixel phone: the
sources card stays within the screen with web capture on, and the new name is what it shows."""

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_source_is_renamed_on_a_phone(phone, live_server, people, login):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.settings import create_source, rotate_capture_key
    from leadtracker.leads.models import LeadSource

    fb = create_source(people.org, "fb", actor=Actor.system())
    rotate_capture_key(
        create_source(people.org, "Website enquiries form", actor=Actor.system()), actor=Actor.system()
    )
    login(phone, live_server.url, "olga@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/settings/")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.fill(f"#source-{fb.pk}", "Facebook")
    phone.locator(f"form:has(#source-{fb.pk}) button").click()
    phone.wait_for_url(f"{live_server.url}/leads/settings/")
    assert phone.input_value(f"#source-{fb.pk}") == "Facebook"
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert LeadSource.objects.get(pk=fb.pk).name == "Facebook"
