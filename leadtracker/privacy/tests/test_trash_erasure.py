"""Erasure reaches the trash: erasing a lead that is in the trash (through its erasure request)
leaves no trace in any table, the trash included; erasing a person removes their older copies
from the trash; an access export includes those copies; and replaying the ledger after an older
backup is restored erases a copy the backup brought back."""

import pytest
from django.db import connection

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import delete_leads
from leadtracker.leads.models import Lead, TrashedLead
from leadtracker.privacy.erasure.actions import erase_lead, erase_trashed_lead
from leadtracker.privacy.erasure.replay import replay_erasures
from leadtracker.privacy.export.exporters import EXPORTERS
from leadtracker.privacy.export.values import Subject
from leadtracker.privacy.models import DataRequest, ErasureRecord
from leadtracker.privacy.selectors import trashed_lead_of_request
from leadtracker.privacy.tests.erasure_util import (
    E164,
    EMAIL,
    NAME,
    build_person,
    call_figures,
    needles,
    scan_database,
    snapshot,
    sqlite_file,
)
from leadtracker.testing import make_lead, token_client


def to_trash(people, lead):
    delete_leads(Lead.objects.filter(pk=lead.pk), actor=Actor.for_user(people.maya.user), by=people.maya)
    return TrashedLead.objects.get(pk=lead.pk)


@pytest.mark.django_db(transaction=True)
def test_erasing_a_trashed_lead_through_its_request_leaves_no_trace(acme, ledger_file):
    person = build_person(acme)
    request = DataRequest.objects.get(organisation=acme.org, lead=person.lead)
    other_before = snapshot(person.other)
    trashed = to_trash(acme, person.lead)
    strings = needles()
    # The scanner sees the trash: the person's name, numbers and e-mail are in it now.
    before = scan_database(strings)
    assert any(hit.startswith("leads_trashedlead.snapshot") for hit in before), before
    assert any(hit.startswith("leads_trashedlead.numbers") for hit in before), before
    assert not Lead.objects.filter(pk=person.lead.pk).exists()
    calls_before = call_figures(acme.org.pk)
    # The request's pointer went empty with the trash; the trash still knows whose it was.
    request.refresh_from_db()
    assert request.lead_id is None and trashed_lead_of_request(request) == trashed

    response = token_client(acme.olga).post(f"/api/v1/privacy/requests/{request.pk}/erasure")
    assert response.status_code == 200, response.content
    counts = response.json()["counts"]

    assert counts["trashed_leads"] == 1 and counts["calls"] == 3, counts
    assert scan_database(strings) == []
    assert not TrashedLead.objects.exists()
    assert snapshot(person.other) == other_before
    assert call_figures(acme.org.pk) == calls_before
    request.refresh_from_db()
    assert request.status == "done" and request.requested_by == ""
    assert ErasureRecord.objects.filter(organisation=acme.org, subject_kind="lead").count() == 1
    ledger_text = ledger_file.read_text()
    assert not any(s.casefold() in ledger_text.casefold() for s in strings)

    if connection.vendor == "sqlite":
        data = sqlite_file()
        for s in strings:
            assert s.encode() not in data, s
        assert b"Meena Iyer" in data  # the control: the search does find text


def test_erasing_a_person_clears_their_older_copy_in_the_trash(acme, ledger_file):
    actor = Actor.system()
    old = make_lead(acme, name=NAME, phones=[E164[0]], email=EMAIL, actor=actor)
    to_trash(acme, old)
    # Someone else's trashed lead stays.
    theirs = make_lead(acme, name="Meena", phones=["+919000000009"], actor=actor)
    to_trash(acme, theirs)
    # They come back as a new lead with the same number, then ask to be erased.
    again = make_lead(acme, name="R. K. Sharma", phones=[E164[0]], actor=actor)

    counts = erase_lead(again, actor=actor, by=acme.olga)

    assert counts["trashed_leads"] == 1
    assert list(TrashedLead.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_an_access_export_includes_the_person_s_copies_in_the_trash(acme):
    actor = Actor.system()
    old = make_lead(acme, name=NAME, phones=[E164[1]], email=EMAIL, actor=actor)
    to_trash(acme, old)
    other = make_lead(acme, name="Meena", phones=["+919000000009"], actor=actor)
    to_trash(acme, other)
    live = make_lead(acme, name="Rajesh", email=EMAIL, actor=actor)

    rows = list(EXPORTERS["leads.TrashedLead"].rows(Subject(org=acme.org, lead=live)))

    assert [(r["id"], r["name"], r["numbers"]) for r in rows] == [(old.pk, NAME, E164[1])]
    assert rows[0]["snapshot"]["rows"][0]["fields"]["name"] == NAME


def test_replay_erases_a_copy_in_the_trash_that_a_backup_brought_back(acme, ledger_file):
    actor = Actor.system()
    lead = make_lead(acme, name=NAME, phones=[E164[2]], email=EMAIL, actor=actor)
    trashed = to_trash(acme, lead)
    row = TrashedLead.objects.filter(pk=trashed.pk).values().get()
    erase_trashed_lead(trashed, actor=actor, by=acme.olga)
    assert not TrashedLead.objects.exists()
    # An older backup is restored: the trash holds the person again.
    TrashedLead.objects.create(**row)

    result = replay_erasures()

    assert result["leads"] == 1
    assert not TrashedLead.objects.exists()
    assert replay_erasures()["leads"] == 0
