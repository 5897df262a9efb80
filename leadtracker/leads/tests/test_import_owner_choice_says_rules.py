"""The import page's "Give the leads to" says what leaving it alone does: the leads go by the
assignment rules (as a lead made by hand does), not "nobody yet" — a manager who left it so
found her Website leads already with an agent."""

from django.core.files.uploadedfile import SimpleUploadedFile

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.assignment import save_assignment_rule
from leadtracker.leads.actions.settings import source_named
from leadtracker.leads.imports.jobs import run_import_job
from leadtracker.leads.models import ImportJob, Lead
from leadtracker.testing import html_region


def test_left_alone_the_leads_go_by_the_rules_and_the_page_says_so(acme, as_member):
    website = source_named(acme.org, "Website")
    save_assignment_rule(
        acme.org, name="Web", agent_ids=[acme.alice.user_id], source=website, actor=Actor.system()
    )
    client = as_member(acme.maya)
    sheet = b"Name,Mobile,Source\nAsha,9876500001,Website\nBina,9876500002,JustDial\n"
    upload = SimpleUploadedFile("sheet.csv", sheet, "text/csv")
    assert client.post("/leads/import/", {"file": upload}).status_code == 302
    job = ImportJob.objects.latest("id")
    page = client.get(f"/leads/import/{job.pk}/").content.decode()
    owner_choice = html_region(page, "owner")
    first = next(text for tag, _classes, text in owner_choice.elements if tag == "option")
    assert first == "By the assignment rules"
    assert "nobody yet" not in page

    form = {"col0": "name", "col1": "phone", "col2": "source", "on_duplicate": "skip", "owner": ""}
    assert client.post(f"/leads/import/{job.pk}/", form).status_code == 302
    run_import_job(job.pk)
    owners = dict(Lead.objects.filter(organisation=acme.org).values_list("name", "owner_id"))
    assert owners == {"Asha": acme.alice.user_id, "Bina": None}  # JustDial has no rule
