"""The question the trash asks before deleting a lead for good is in the admin's language: its
title, what goes with the lead, what stays and the button were written as bare English, which
the translation check does not see (it reads texts handed to messages.*, forms and errors, not a
confirm.Question's)."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.models import Lead, TrashedLead
from leadtracker.leads.trash.actions import trash_leads


def _trashed(acme, new_lead) -> int:
    lead = new_lead(acme, name="Recent", phone="98765 00002")
    trash_leads(Lead.objects.filter(pk=lead.pk), actor=Actor.for_user(acme.olga.user), by=acme.olga)
    return lead.pk


def test_the_question_is_in_hindi_for_a_hindi_admin(acme, new_lead, as_member):
    acme.olga.user.language = "hi"
    acme.olga.user.save(update_fields=["language"])
    pk = _trashed(acme, new_lead)
    page = as_member(acme.olga).post(f"/leads/trash/{pk}/delete/").content.decode()
    assert "“Recent” हमेशा के लिए मिटा दें?" in page
    assert "अभी मिट जाएँगे, और लीड फिर वापस नहीं आ सकेगी।" in page
    assert "इसकी कॉल बनी रहेंगी" in page and "हमेशा के लिए मिटाएँ" in page
    assert "for good" not in page and "Its calls stay" not in page
    assert TrashedLead.objects.filter(pk=pk).exists()  # asking deletes nothing


def test_the_question_in_english_counts_what_goes(acme, new_lead, as_member):
    pk = _trashed(acme, new_lead)
    page = as_member(acme.olga).post(f"/leads/trash/{pk}/delete/").content.decode()
    kept = len(TrashedLead.objects.get(pk=pk).snapshot.get("rows", []))
    assert "Delete “Recent” for good?" in page and "Delete forever" in page
    assert f"{kept} records kept with it in the trash" in page
    assert "Its calls stay, without a lead, as the work of whoever made them." in page
