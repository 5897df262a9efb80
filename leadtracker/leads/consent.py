"""Marketing consent: its history, the signed unsubscribe link, and do-not-contact rules.

Every change of Lead.marketing_consent writes one ConsentEvent in the same transaction, from
whichever path changed it (form, API, import, web capture, merge, unsubscribe link). A
member's consent is kept only as events. The writes live here rather than in actions.py
because the lead actions, the importer and the public unsubscribe page all share them.
"""

import functools
import hashlib
import hmac
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import Membership, Role
from leadtracker.leads.models import ConsentEvent, ConsentMethod, ConsentPurpose, Lead, TrashedLead
from leadtracker.lib.errors import ActionError

# --- the notice version in effect ------------------------------------------------------

# The privacy app (above this one) knows the notice versions; it fills this at ready(), so a
# consent says which version the person had been shown without leads importing privacy.
_notice_version_lookup: Callable[[int], int | None] | None = None


def set_notice_version_lookup(lookup: Callable[[int], int | None] | None) -> None:
    global _notice_version_lookup
    _notice_version_lookup = lookup


def notice_version(org_id: int) -> int | None:
    return _notice_version_lookup(org_id) if _notice_version_lookup else None


# --- recording -------------------------------------------------------------------------

NOTE_MAX = 300
# Ways a person can tell someone their wish, which a colleague then records by hand (the
# API and the lead page). The automatic ones (import, merge, the link …) are never typed in.
RECORDABLE_METHODS = (
    ConsentMethod.PHONE,
    ConsentMethod.IN_PERSON,
    ConsentMethod.EMAIL,
    ConsentMethod.FORM,
    ConsentMethod.API,
    ConsentMethod.ADMIN,
)


def _event(*, org_id, given, method, actor: Actor, lead_id=None, member=None, note="", version=...):
    return ConsentEvent(
        organisation_id=org_id,
        lead_id=lead_id,
        member=member,
        purpose=ConsentPurpose.MARKETING,
        given=given,
        method=method,
        notice_version=notice_version(org_id) if version is ... else version,
        recorded_by=actor.user,
        note=(note or "").strip()[:NOTE_MAX],
        occurred_at=timezone.now(),
    )


# Notes the system writes on a consent event (a person's are their own words). The event is an
# append-only record: its note keeps the English, and the consent panel reads it in the reader's
# language (lib/stored_text.reread), old events too.
NOTE_MERGED = gettext_noop("merged with lead %(lead)s, which had no marketing consent")
NOTE_UNSUBSCRIBED_IN_TRASH = gettext_noop("used while the lead was in the trash (%(at)s UTC)")
SYSTEM_NOTES = (NOTE_MERGED, NOTE_UNSUBSCRIBED_IN_TRASH)


def lead_consent_changed(lead: Lead, *, method: str, actor: Actor, note: str = "") -> ConsentEvent:
    """Record that lead.marketing_consent just took its current value (the caller saved it)."""
    event = _event(
        org_id=lead.organisation_id,
        lead_id=lead.pk,
        given=lead.marketing_consent,
        method=method,
        actor=actor,
        note=note,
    )
    event.save()
    record(
        "lead.consent",
        organisation=lead.organisation,
        actor=actor,
        obj=lead,
        changes={"purpose": event.purpose, "given": event.given, "method": method},
    )
    return event


def imported_consents(org, lead_ids: Iterable[int], *, actor: Actor) -> None:
    """Consent given in an imported sheet: one event per lead, one statement per batch."""
    lead_ids = list(lead_ids)
    if not lead_ids:
        return
    version = notice_version(org.pk)
    ConsentEvent.objects.bulk_create(
        [
            _event(
                org_id=org.pk,
                lead_id=pk,
                given=True,
                method=ConsentMethod.IMPORT,
                actor=actor,
                version=version,
            )
            for pk in lead_ids
        ],
        batch_size=1000,
    )


@transaction.atomic
def set_lead_consent(
    lead: Lead, *, given: bool, method: str, actor: Actor, by: Membership | None, note: str = ""
) -> ConsentEvent | None:
    """Record what a lead told someone. Whoever may edit the lead may record it. Returns the
    event, or None when the lead's consent already was ``given`` (nothing changed)."""
    if by is not None and by.role == Role.AGENT and lead.owner_id != by.user_id:
        raise ActionError(_("agents can change only their own leads"), field="lead", status_code=403)
    if method not in RECORDABLE_METHODS:
        raise ActionError(
            _("choose one of: %s") % ", ".join(str(m) for m in RECORDABLE_METHODS), field="method"
        )
    if len((note or "").strip()) > NOTE_MAX:
        raise ActionError(_("at most %s characters") % NOTE_MAX, field="note")
    lead = Lead.objects.select_for_update().select_related("organisation").get(pk=lead.pk)
    if lead.erased_at is not None:
        raise ActionError(_("this lead's personal data was erased"), field="lead", status_code=409)
    if lead.marketing_consent == given:
        return None
    lead.marketing_consent = given
    lead.updated_at = timezone.now()
    lead.save(update_fields=["marketing_consent", "updated_at"])
    return lead_consent_changed(lead, method=method, actor=actor, note=note)


def lead_history(lead: Lead):
    return (
        ConsentEvent.objects.filter(lead=lead).select_related("recorded_by").order_by("-occurred_at", "-id")
    )


# --- members ---------------------------------------------------------------------------


def member_consent(membership: Membership) -> bool:
    """A member's current marketing consent: the latest event's, none means not given."""
    latest = (
        ConsentEvent.objects.filter(member=membership, purpose=ConsentPurpose.MARKETING)
        .order_by("-occurred_at", "-id")
        .values_list("given", flat=True)
        .first()
    )
    return bool(latest)


def member_history(membership: Membership):
    return (
        ConsentEvent.objects.filter(member=membership)
        .select_related("recorded_by")
        .order_by("-occurred_at", "-id")
    )


@transaction.atomic
def set_member_consent(
    membership: Membership, *, given: bool, actor: Actor, by: Membership, note: str = ""
) -> ConsentEvent | None:
    """Only the member decides their own consent; nobody records it on their behalf."""
    if by.pk != membership.pk:
        raise ActionError(_("only the member can change their own consent"), field="member", status_code=403)
    if len((note or "").strip()) > NOTE_MAX:
        raise ActionError(_("at most %s characters") % NOTE_MAX, field="note")
    # Serialise two clicks of the toggle on the member row, so "latest" stays one answer.
    Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if member_consent(membership) == given:
        return None
    event = _event(
        org_id=membership.organisation_id,
        member=membership,
        given=given,
        method=ConsentMethod.PROFILE,
        actor=actor,
        note=note,
    )
    event.save()
    record(
        "member.consent",
        organisation=membership.organisation,
        actor=actor,
        obj=membership,
        changes={"purpose": event.purpose, "given": given, "method": event.method},
    )
    return event


# --- the signed unsubscribe link ---------------------------------------------------------

UNSUBSCRIBE_SALT = "leadtracker.leads.unsubscribe"


@functools.lru_cache(maxsize=4)
def _signer(secret_key: str) -> signing.Signer:
    return signing.Signer(key=secret_key, salt=UNSUBSCRIBE_SALT)


@functools.lru_cache(maxsize=4)
def _hmac_key(secret_key: str) -> bytes:
    # The key Signer.signature() derives on every call (salted_hmac), derived once: the API
    # list and the campaign export sign a link per lead. The result is exactly Signer's, so
    # Signer.unsign (with SECRET_KEY_FALLBACKS) reads it; test_unsubscribe.py checks both.
    return hashlib.sha256(f"{UNSUBSCRIBE_SALT}signer{secret_key}".encode()).digest()


@functools.lru_cache(maxsize=4)
def _link_parts(site_url: str) -> tuple[str, str]:
    # reverse() walks the URL patterns each time: done once, not once per lead.
    path = reverse("unsubscribe", args=["TOKEN"])
    before, after = path.split("TOKEN")
    return site_url + before, after


def link_maker() -> Callable[[int, int], str]:
    """(organisation id, lead id) -> the lead's unsubscribe URL, with the key and the URL's
    parts looked up once: for lists that need a link per lead."""
    key = _hmac_key(settings.SECRET_KEY)
    before, after = _link_parts(settings.SITE_URL)

    def link(org_id: int, lead_id: int) -> str:
        return f"{before}{_token(key, org_id, lead_id)}{after}"

    return link


def _token(key: bytes, org_id: int, lead_id: int) -> str:
    value = f"{org_id}.{lead_id}"
    return f"{value}:{signing.b64_encode(hmac.digest(key, value.encode(), 'sha256')).decode()}"


def unsubscribe_token(lead) -> str:
    """A token naming the organisation and the lead, signed with SECRET_KEY. It does not
    expire: a message sent a year ago must still let its reader stop the next one."""
    return _token(_hmac_key(settings.SECRET_KEY), lead.organisation_id, lead.pk)


def unsubscribe_url(lead) -> str:
    return link_maker()(lead.organisation_id, lead.pk)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(organisation id, lead id) of a token we signed, or None for anything else."""
    try:
        value = _signer(settings.SECRET_KEY).unsign(token)
    except signing.BadSignature:
        return None
    org_id, _sep, lead_id = value.partition(".")
    if not (org_id.isdigit() and lead_id.isdigit() and org_id.isascii() and lead_id.isascii()):
        return None
    return int(org_id), int(lead_id)


@transaction.atomic
def unsubscribe(org_id: int, lead_id: int) -> Lead | None:
    """Withdraw a lead's marketing consent from the public link, at once. Idempotent: a
    second click finds nothing to change and writes nothing. None for a lead that is gone."""
    lead = (
        Lead.objects.select_for_update()
        .select_related("organisation")
        .filter(organisation_id=org_id, pk=lead_id)
        .first()
    )
    if lead is None:
        _unsubscribe_trashed(org_id, lead_id)
        return None
    if lead.erased_at is not None:
        return None
    if lead.marketing_consent:
        lead.marketing_consent = False
        lead.updated_at = timezone.now()
        lead.save(update_fields=["marketing_consent", "updated_at"])
        lead_consent_changed(lead, method=ConsentMethod.UNSUBSCRIBE_LINK, actor=Actor.system())
    return lead


def _unsubscribe_trashed(org_id: int, lead_id: int) -> None:
    """A lead in the trash may yet be restored: the click is kept with it, and restoring
    withdraws the consent then (leads/trash/actions.py). The person still sees the neutral page."""
    trashed = TrashedLead.objects.select_for_update().filter(organisation_id=org_id, pk=lead_id).first()
    if trashed is not None and "unsubscribed_at" not in trashed.snapshot:
        trashed.snapshot = {**trashed.snapshot, "unsubscribed_at": timezone.now().isoformat()}
        trashed.save(update_fields=["snapshot"])


# --- do not contact --------------------------------------------------------------------


def campaign_exclusion() -> Q:
    """Leads a campaign must not reach: do-not-call, no marketing consent, or erased."""
    return Q(do_not_call=True) | Q(marketing_consent=False) | Q(erased_at__isnull=False)
