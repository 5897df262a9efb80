"""Drafts and publishing: a draft starts from the latest version or the default, can be edited,
and publishing freezes it — the action and the database both refuse a change after."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.privacy import selectors
from leadtracker.privacy.models import NoticeAcceptance, PrivacyNotice
from leadtracker.privacy.notices import actions
from leadtracker.testing import publish_version

ITEM = {"data": "Phone numbers", "purpose": "Calling back", "legal_basis": "consent", "retention": "90 days"}


def test_first_draft_describes_what_leadtracker_holds(acme):
    draft = actions.create_draft(acme.org, actor=Actor.system())
    assert draft.version is None and not draft.is_published
    kinds = " ".join(item["data"] for item in draft.items).lower()
    for held in ("lead contact", "call metadata", "shift times", "location", "device", "usage"):
        assert held in kinds, held
    assert {i["legal_basis"] for i in draft.items} == {"consent", "employment"}
    assert all(i["purpose"] and i["retention"] for i in draft.items)


def test_a_new_draft_starts_from_the_latest_version(acme):
    v1 = publish_version(acme.org, title="Our notice", items=[ITEM])
    draft = actions.create_draft(acme.org, actor=Actor.system())
    assert (draft.title, draft.items) == ("Our notice", v1.items)


def test_drafts_can_be_edited(acme):
    draft = actions.create_draft(acme.org, actor=Actor.system())
    actions.update_draft(draft, actor=Actor.system(), title="Changed", items=[ITEM])
    draft.refresh_from_db()
    assert draft.title == "Changed" and draft.items == [ITEM]


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([], "items"),
        ([{**ITEM, "legal_basis": "because"}], "items.0.legal_basis"),
        ([ITEM, {**ITEM, "purpose": "  "}], "items.1.purpose"),
        ([{**ITEM, "audio": True}], "items.0.audio"),
        ([{k: v for k, v in ITEM.items() if k != "retention"}], "items.0.retention"),
        ("not a list", "items"),
    ],
)
def test_bad_items_are_refused_naming_the_field(acme, items, field):
    draft = actions.create_draft(acme.org, actor=Actor.system())
    with pytest.raises(ActionError) as exc:
        actions.update_draft(draft, actor=Actor.system(), items=items)
    assert exc.value.field == field


def test_publishing_numbers_versions_and_sets_the_date(acme):
    v1 = publish_version(acme.org)
    v2 = publish_version(acme.org)
    assert (v1.version, v2.version) == (1, 2)
    assert v1.published_at and v1.effective_at <= timezone.now()
    assert selectors.effective_notice(acme.org.pk) == v2


def test_published_notice_cannot_be_edited_or_published_again(acme):
    v1 = publish_version(acme.org, items=[ITEM])
    with pytest.raises(Conflict) as exc:
        actions.update_draft(v1, actor=Actor.system(), title="Rewritten")
    assert exc.value.field == "notice"
    with pytest.raises(Conflict):
        actions.publish_notice(v1, actor=Actor.system())
    v1.refresh_from_db()
    assert v1.title != "Rewritten" and v1.version == 1


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Rewritten behind the action's back"},
        {"items": []},
        {"effective_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        {"published_at": None},
    ],
)
def test_the_database_refuses_to_change_a_published_notice(acme, change):
    v1 = publish_version(acme.org, items=[ITEM])
    with pytest.raises(IntegrityError), transaction.atomic():
        PrivacyNotice.objects.filter(pk=v1.pk).update(**change)
    v1.title = "Via save()"
    with pytest.raises(IntegrityError), transaction.atomic():
        v1.save()
    fresh = PrivacyNotice.objects.get(pk=v1.pk)
    assert fresh.items == [ITEM] and fresh.title != "Via save()" and fresh.published_at


def test_drafts_still_change_in_the_database(acme):
    draft = actions.create_draft(acme.org, actor=Actor.system())
    assert PrivacyNotice.objects.filter(pk=draft.pk).update(title="Fine") == 1


def test_acceptances_are_append_only(acme):
    v1 = publish_version(acme.org)
    acceptance = actions.accept_notice(acme.alice, v1)
    assert (acceptance.version, acceptance.user_id) == (1, acme.alice.user_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeAcceptance.objects.filter(pk=acceptance.pk).update(accepted_at=timezone.now())
    # Accepting twice keeps the first record.
    assert actions.accept_notice(acme.alice, v1).pk == acceptance.pk
    assert NoticeAcceptance.objects.count() == 1


def test_effective_date_cannot_be_in_the_past_nor_before_the_previous_version(acme):
    draft = actions.create_draft(acme.org, actor=Actor.system())
    with pytest.raises(ActionError) as exc:
        actions.publish_notice(
            draft, actor=Actor.system(), effective_at=timezone.now() - dt.timedelta(days=1)
        )
    assert exc.value.field == "effective_at"
    publish_version(acme.org, effective_in=dt.timedelta(days=10))
    with pytest.raises(ActionError) as exc:
        actions.publish_notice(
            draft, actor=Actor.system(), effective_at=timezone.now() + dt.timedelta(days=5)
        )
    assert exc.value.field == "effective_at" and "version 1" in exc.value.message
    with pytest.raises(ActionError) as exc:
        actions.publish_notice(draft, actor=Actor.system(), effective_at=dt.datetime(2099, 1, 1))
    assert exc.value.field == "effective_at"  # naive


def test_a_scheduled_version_is_not_in_effect_until_its_date(acme):
    v1 = publish_version(acme.org)
    v2 = publish_version(acme.org, effective_in=dt.timedelta(days=3))
    assert selectors.effective_notice(acme.org.pk) == v1
    assert selectors.effective_notice(acme.org.pk, now=timezone.now() + dt.timedelta(days=4)) == v2
    with pytest.raises(ActionError):
        actions.accept_notice(acme.alice, v2)


def test_publishing_is_audited_without_personal_data(acme):
    v1 = publish_version(acme.org)
    event = AuditEvent.objects.get(organisation=acme.org, action="privacy_notice.published")
    assert event.object_id == str(v1.pk) and event.object_type == "privacynotice"
    assert event.changes == {
        "version": 1,
        "effective_at": v1.effective_at.isoformat(),
        "items": len(v1.items),
    }
    assert AuditEvent.objects.filter(action="privacy_notice.draft_created").count() == 1


def test_another_organisations_notice_cannot_be_accepted(acme, globex):
    theirs = publish_version(globex.org)
    with pytest.raises(ActionError) as exc:
        actions.accept_notice(acme.alice, theirs)
    assert exc.value.status_code == 404
