"""A returning enquirer's note ("Enquired again through Website (…)") reads in the reader's
language (issue 20 §3), not the organisation's at the moment it came: its sentence is kept as
what to say; what they wrote stays as written."""

from html import unescape

from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.settings import create_source, rotate_capture_key
from leadtracker.leads.models import Activity, Lead
from leadtracker.testing import hindi_client, login_client


def test_the_note_reads_in_each_readers_language(acme):
    source = create_source(acme.org, "Website", actor=Actor.system())
    key = rotate_capture_key(source, actor=Actor.system()).capture_key
    acme.org.language = "hi"
    acme.org.save(update_fields=["language"])
    for body in (
        {"name": "Kavya", "email": "kavya@example.in"},
        {"name": "Kavya R", "email": "kavya@example.in", "message": "2 BHK chahiye"},
    ):
        Client().post(f"/api/v1/capture/{key}", body, content_type="application/json")
    lead = Lead.objects.get(organisation=acme.org)
    note = Activity.objects.get(lead=lead, data__capture="Website")
    assert note.body.startswith("Enquired again through Website (name: Kavya R, email: kavya@example.in).")
    acme.olga.user.language = "en-in"
    acme.olga.user.save(update_fields=["language"])
    page = " ".join(unescape(login_client(acme.olga).get(f"/leads/{lead.pk}/").content.decode()).split())
    assert "Enquired again through Website (name: Kavya R, email: kavya@example.in).<br>2 BHK chahiye" in page
    hindi = " ".join(unescape(hindi_client(acme.olga).get(f"/leads/{lead.pk}/").content.decode()).split())
    assert "Website से फिर पूछताछ की (name: Kavya R, email: kavya@example.in)।<br>2 BHK chahiye" in hindi
