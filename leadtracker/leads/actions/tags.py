"""Tags: on a lead, and the organisation's list of them (create, rename everywhere, delete)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership
from leadtracker.leads.actions.permissions import _check_can_edit
from leadtracker.leads.models import Lead, LeadTag, Tag
from leadtracker.lib.errors import ActionError, Conflict


def _tag_objects(org_id: int, names: list[str]) -> list[Tag]:
    if not names:
        return []
    Tag.objects.bulk_create([Tag(organisation_id=org_id, name=n) for n in names], ignore_conflicts=True)
    return list(Tag.objects.filter(organisation_id=org_id, name__in=names))


def _add_tags(lead: Lead, names: list[str]) -> list[Tag]:
    """Give the lead these tags; returns the tags it did not have."""
    names = sorted({n.strip()[:50] for n in names if n and n.strip()})
    had = set(LeadTag.objects.filter(lead=lead).values_list("tag__name", flat=True))
    tags = [t for t in _tag_objects(lead.organisation_id, names) if t.name not in had]
    LeadTag.objects.bulk_create(
        [LeadTag(organisation_id=lead.organisation_id, lead=lead, tag=t) for t in tags], ignore_conflicts=True
    )
    return tags


def _record_tags(lead: Lead, actor: Actor, *, added: list[int], removed: list[int]) -> None:
    # Tag ids, not names: a tag's name is the organisation's free text and may name a person.
    if added or removed:
        changes = {"added": sorted(added), "removed": sorted(removed)}
        record("lead.tags", organisation=lead.organisation, actor=actor, obj=lead, changes=changes)


@transaction.atomic
def add_tags(lead: Lead, names: list[str], *, actor: Actor) -> list[str]:
    """Returns the names of the tags the lead did not have."""
    tags = _add_tags(lead, names)
    _record_tags(lead, actor, added=[t.pk for t in tags], removed=[])
    return [t.name for t in tags]


@transaction.atomic
def set_tags(lead: Lead, names: list[str], *, actor: Actor, by: Membership | None) -> None:
    _check_can_edit(lead, by)
    names = sorted({n.strip()[:50] for n in names if n and n.strip()})
    gone = LeadTag.objects.filter(lead=lead).exclude(tag__name__in=names)
    removed = list(gone.values_list("tag_id", flat=True))
    if removed:
        LeadTag.objects.filter(lead=lead, tag_id__in=removed).delete()
    added = _add_tags(lead, names)
    _record_tags(lead, actor, added=[t.pk for t in added], removed=removed)


def _clean_tag_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ActionError(_("give the tag a name"), field="name")
    if len(name) > 50:
        raise ActionError(_("at most 50 characters"), field="name")
    if "," in name:
        # The web forms take tags as a comma-separated list: such a tag could never be typed.
        raise ActionError(_("a tag cannot contain a comma"), field="name")
    return name


def _check_tag_name_free(org_id: int, name: str, tag: Tag | None = None) -> None:
    # Case-insensitively, like sources and templates: "VIP" and "vip" side by side in the
    # filter would split the leads between them.
    clash = Tag.objects.filter(organisation_id=org_id, name__iexact=name)
    if tag is not None:
        clash = clash.exclude(pk=tag.pk)
    if clash.exists():
        raise Conflict(_("a tag with this name exists"), field="name")


@transaction.atomic
def create_tag(org, name: str, *, actor: Actor) -> Tag:
    name = _clean_tag_name(name)
    _check_tag_name_free(org.pk, name)
    try:
        with transaction.atomic():
            tag = Tag.objects.create(organisation=org, name=name)
    except IntegrityError:  # the same name created between our look and our insert
        raise Conflict(_("a tag with this name exists"), field="name") from None
    record("tag.create", organisation=org, actor=actor, obj=tag)
    return tag


@transaction.atomic
def rename_tag(tag: Tag, name: str, *, actor: Actor) -> Tag:
    """Rename a tag everywhere at once: leads point at the tag, not at its name."""
    name = _clean_tag_name(name)
    if name == tag.name:
        return tag
    _check_tag_name_free(tag.organisation_id, name, tag)
    try:
        with transaction.atomic():
            Tag.objects.filter(pk=tag.pk).update(name=name)
    except IntegrityError:
        raise Conflict(_("a tag with this name exists"), field="name") from None
    tag.name = name
    record("tag.rename", organisation=tag.organisation, actor=actor, obj=tag, changes={"fields": ["name"]})
    return tag


@transaction.atomic
def delete_tag(tag: Tag, *, actor: Actor) -> int:
    """Remove a tag from the organisation and from every lead that had it. Returns how many
    leads had it (recorded, since the change reaches leads the caller may not see)."""
    count = LeadTag.objects.filter(tag=tag).count()
    record("tag.delete", organisation=tag.organisation, actor=actor, obj=tag, changes={"leads": count})
    tag.delete()
    return count
