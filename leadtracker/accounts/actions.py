"""Every write about organisations and people. Each function records its audit event."""

import datetime as dt
import secrets
import zoneinfo

import phonenumbers
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import (
    ROLE_RANK,
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organisation,
    Role,
    TokenKind,
    User,
    hash_secret,
    slug_validator,
)
from leadtracker.accounts.signals import organisation_created
from leadtracker.lib.errors import ActionError, Conflict
from leadtracker.lib.phones import InvalidPhone, normalise

# The audit log is kept at least a month, so no setting can wipe it (including the change
# of the setting itself), and at most ten years.
# At least a year: the privacy issue's floor, so access to personal data can be answered for.
AUDIT_RETENTION_MIN = 365
AUDIT_RETENTION_MAX = 3650

ORG_EDITABLE_FIELDS = (
    "name",
    "time_zone",
    "phone_region",
    "currency",
    "language",
    "day_end",
    "digest_hour",
    "support_email",
    "support_phone",
    "audit_retention_days",
    "shift_location",
    "calls_create_leads",
    "usage_events",
    "mask_other_numbers",
    "require_mfa",
)


BOOLEAN_SETTINGS = (
    "shift_location",
    "calls_create_leads",
    "usage_events",
    "mask_other_numbers",
    "require_mfa",
)


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field="password") from None


def _check_language(code, *, required: bool) -> None:
    if code in dict(settings.LANGUAGES) or (code == "" and not required):
        return
    choices = ", ".join(dict(settings.LANGUAGES))
    message = _("one of %(choices)s") if required else _("one of %(choices)s, or empty")
    raise ActionError(message % {"choices": choices}, field="language")


def _validate_org_fields(fields: dict) -> None:
    if "time_zone" in fields and fields["time_zone"] not in zoneinfo.available_timezones():
        raise ActionError(_("unknown time zone %(zone)r") % {"zone": fields["time_zone"]}, field="time_zone")
    if "phone_region" in fields:
        region = (fields["phone_region"] or "").upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ActionError(_("unknown phone region %(region)r") % {"region": region}, field="phone_region")
        fields["phone_region"] = region
    if "currency" in fields:
        cur = (fields["currency"] or "").upper()
        if len(cur) != 3 or not cur.isalpha():
            raise ActionError(_("use a three-letter ISO 4217 code such as INR"), field="currency")
        fields["currency"] = cur
    if "name" in fields and not (fields["name"] or "").strip():
        raise ActionError(_("may not be empty"), field="name")
    if "language" in fields:
        _check_language(fields["language"], required=True)
    for key in ("day_end", "audit_retention_days", "support_email", "support_phone", *BOOLEAN_SETTINGS):
        if key in fields and fields[key] is None:
            raise ActionError(_("may not be empty (send an empty string to clear a contact)"), field=key)
    if "digest_hour" in fields:
        hour = fields["digest_hour"]
        # None switches the digest off; a bool is an int to Python, not an hour.
        if hour is not None and (type(hour) is not int or not 0 <= hour <= 23):
            raise ActionError(_("an hour from 0 to 23, or empty for no digest"), field="digest_hour")
    if "audit_retention_days" in fields:
        days = fields["audit_retention_days"]
        if not isinstance(days, int) or not AUDIT_RETENTION_MIN <= days <= AUDIT_RETENTION_MAX:
            raise ActionError(
                _("between %(min)s and %(max)s days")
                % {"min": AUDIT_RETENTION_MIN, "max": AUDIT_RETENTION_MAX},
                field="audit_retention_days",
            )


@transaction.atomic
def create_organisation(
    *,
    name: str,
    slug: str,
    owner_email: str,
    owner_name: str = "",
    password: str | None = None,
    actor: Actor | None = None,
    **org_fields,
) -> tuple[Organisation, Membership]:
    """A new organisation with its owner. An existing user becomes the owner as they are;
    a new one is created (with ``password``, or unusable until they reset it)."""
    actor = actor or Actor.system()
    slug = (slug or "").strip().lower()
    try:
        slug_validator(slug)
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field="slug") from None
    if Organisation.objects.filter(slug=slug).exists():
        raise Conflict(_("an organisation with slug %(slug)r exists") % {"slug": slug}, field="slug")
    _validate_org_fields({"name": name, **org_fields})
    owner_email = User.objects.normalize_email(owner_email)
    if not owner_email or "@" not in owner_email:
        raise ActionError(_("a valid e-mail address is required"), field="owner_email")
    user = User.objects.filter(email=owner_email).first()
    if user is None:
        user = User(email=owner_email, full_name=owner_name or owner_email.split("@")[0])
        if password:
            _check_password(password, user)
        user.set_password(password) if password else user.set_unusable_password()
        user.save()
    org = Organisation.objects.create(name=name.strip(), slug=slug, **org_fields)
    owner = Membership.objects.create(organisation=org, user=user, role=Role.OWNER)
    record("organisation.create", organisation=org, actor=actor, obj=org, changes={"slug": slug})
    organisation_created.send(sender=Organisation, organisation=org, actor=actor)
    record("member.add", organisation=org, actor=actor, obj=owner, changes={"role": Role.OWNER})
    return org, owner


@transaction.atomic
def update_organisation(org: Organisation, *, actor: Actor, **fields) -> Organisation:
    unknown = set(fields) - set(ORG_EDITABLE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ActionError(_("this field cannot be changed"), field=name)
    _validate_org_fields(fields)
    changed = []
    for key, value in fields.items():
        if getattr(org, key) != value:
            setattr(org, key, value)
            changed.append(key)
    if changed:
        org.save(update_fields=changed)
        record("organisation.update", organisation=org, actor=actor, obj=org, changes={"fields": changed})
    return org


def _invitation_email(invitation: Invitation, raw_token: str) -> None:
    link = f"{settings.SITE_URL}/invite/{raw_token}/"
    context = {"invitation": invitation, "link": link, "site_name": settings.SITE_NAME}
    # The invitee has chosen no language yet: the organisation's is the best guess.
    with translation.override(invitation.organisation.language):
        subject = _("You are invited to %(org)s on %(site)s") % {
            "org": invitation.organisation.name,
            "site": settings.SITE_NAME,
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.email])


@transaction.atomic
def invite_member(
    org: Organisation,
    *,
    email: str,
    role: str = Role.AGENT,
    reports_to: Membership | None = None,
    full_name: str = "",
    actor: Actor,
    inviter: Membership | None = None,
) -> tuple[Invitation, str]:
    email = User.objects.normalize_email(email)
    if not email or "@" not in email:
        raise ActionError(_("a valid e-mail address is required"), field="email")
    if role not in Role.values:
        raise ActionError(_("must be one of %(roles)s") % {"roles": ", ".join(Role.values)}, field="role")
    if inviter is not None and ROLE_RANK[Role(role)] > inviter.rank:
        raise ActionError(
            _("you cannot invite someone to a role above your own"), field="role", status_code=403
        )
    if reports_to is not None:
        _check_manager(org, reports_to)
    if Membership.objects.filter(organisation=org, user__email=email, is_active=True).exists():
        raise Conflict(_("this person is already a member"), field="email")
    # A new invitation replaces any earlier one, so an old link cannot grant an old role.
    _revoke_pending_invitations(org, email, actor=actor)
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=org,
        email=email,
        full_name=full_name.strip(),
        role=role,
        reports_to=reports_to,
        token_hash=hash_secret(raw),
        invited_by=actor.user,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.INVITATION_DAYS),
    )
    record("invitation.create", organisation=org, actor=actor, obj=invitation, changes={"role": role})
    transaction.on_commit(lambda: _invitation_email(invitation, raw))
    return invitation, raw


def _revoke_pending_invitations(org, email: str, *, actor: Actor, keep: Invitation | None = None) -> int:
    now = timezone.now()
    pending = Invitation.objects.filter(
        organisation=org, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    )
    if keep is not None:
        pending = pending.exclude(pk=keep.pk)
    count = 0
    for invitation in pending:
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=now)
        record(
            "invitation.revoke",
            organisation=org,
            actor=actor,
            obj=invitation,
            changes={"reason": "superseded"},
        )
        count += 1
    return count


def find_invitation(raw_token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "reports_to")
        .filter(token_hash=hash_secret(raw_token or ""))
        .first()
    )


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: Actor) -> None:
    if invitation.accepted_at:
        raise Conflict(_("this invitation was already accepted"), field="invitation")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record("invitation.revoke", organisation=invitation.organisation, actor=actor, obj=invitation)


@transaction.atomic
def accept_invitation(
    invitation: Invitation, *, password: str, full_name: str = "", actor: Actor | None = None
) -> Membership:
    """Join the organisation. A new person sets their password; a person who already has
    an account proves it is theirs with their current password."""
    actor = actor or Actor.system()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "pending":
        raise ActionError(
            _("this invitation is %(state)s") % {"state": invitation.state},
            field="invitation",
            status_code=410,
        )
    user = User.objects.filter(email=invitation.email).first()
    if user is not None and not user.has_usable_password():
        user = _set_first_password(user, password, full_name)
    elif user is None:
        user = User(email=invitation.email, full_name=(full_name or invitation.full_name).strip())
        if not user.full_name:
            raise ActionError(_("please give your name"), field="full_name")
        _check_password(password, user)
        user.set_password(password)
        user.save()
    elif not user.check_password(password):
        raise ActionError(_("that is not the password of this account"), field="password")
    membership = (
        Membership.objects.select_for_update().filter(organisation=invitation.organisation, user=user).first()
    )
    if membership is not None and membership.is_active:
        raise Conflict(_("you are already a member of this organisation"), field="invitation")
    if (
        membership is not None
        and membership.deactivated_at
        and invitation.created_at <= membership.deactivated_at
    ):
        # Only an invitation sent after the deactivation may bring someone back.
        raise ActionError(
            _("this invitation was sent before your access was removed; ask for a new one"),
            field="invitation",
            status_code=410,
        )
    manager = invitation.reports_to
    if manager is not None and (not manager.is_active or manager.role == Role.AGENT):
        manager = None  # the manager named in the invitation has since left or changed role
    joined = Actor(kind="user", user=user, ip=actor.ip, user_agent=actor.user_agent)
    if membership is None:
        membership = Membership.objects.create(
            organisation=invitation.organisation, user=user, role=invitation.role, reports_to=manager
        )
        record(
            "member.add",
            organisation=invitation.organisation,
            actor=joined,
            obj=membership,
            changes={"role": membership.role, "reports_to": membership.reports_to_id},
        )
    else:
        old_role = membership.role
        membership.role, membership.reports_to = invitation.role, manager
        membership.is_active, membership.deactivated_at = True, None
        membership.save()
        record(
            "member.reactivate",
            organisation=invitation.organisation,
            actor=joined,
            obj=membership,
            changes={
                "role": [old_role, membership.role],
                "reports_to": membership.reports_to_id,
                "via": "invitation",
            },
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record("invitation.accept", organisation=invitation.organisation, actor=joined, obj=invitation)
    _revoke_pending_invitations(invitation.organisation, invitation.email, actor=joined, keep=invitation)
    return membership


def _set_first_password(user: User, password: str, full_name: str) -> User:
    """A person created without a password (by create-org) sets theirs on first use."""
    if full_name.strip():
        user.full_name = full_name.strip()
    _check_password(password, user)
    user.set_password(password)
    user.save()
    return user


def _owners_left(org_id: int, excluding: Membership) -> int:
    # Lock the owner rows so that two owners demoting each other at once cannot both pass.
    owners = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=org_id, role=Role.OWNER, is_active=True)
        .values_list("pk", flat=True)
    )
    return len([pk for pk in owners if pk != excluding.pk])


def _check_manager(org: Organisation, manager: Membership) -> None:
    if manager.organisation_id != org.pk:
        raise ActionError(_("no such member in this organisation"), field="reports_to", status_code=404)
    if not manager.is_active:
        raise ActionError(_("that member is deactivated"), field="reports_to")
    if manager.role == Role.AGENT:
        raise ActionError(_("an agent cannot have people reporting to them"), field="reports_to")


@transaction.atomic
def change_role(member: Membership, role: str, *, actor: Actor, by: Membership) -> Membership:
    if role not in Role.values:
        raise ActionError(_("must be one of %(roles)s") % {"roles": ", ".join(Role.values)}, field="role")
    if member.role == role:
        return member
    # Only an owner can make or unmake owners; an admin cannot promote beyond their own rank.
    if Role.OWNER in (role, member.role) and by.role != Role.OWNER:
        raise ActionError(_("only an owner can change who is an owner"), field="role", status_code=403)
    if member.role == Role.OWNER and _owners_left(member.organisation_id, member) == 0:
        raise Conflict(_("an organisation needs at least one active owner"), field="role")
    if role == Role.AGENT and member.reports.filter(is_active=True).exists():
        raise Conflict(_("people report to this member; give them another manager first"), field="role")
    old = member.role
    member.role = role
    member.save(update_fields=["role"])
    record(
        "member.change_role",
        organisation=member.organisation,
        actor=actor,
        obj=member,
        changes={"role": [old, role]},
    )
    return member


@transaction.atomic
def change_manager(member: Membership, reports_to: Membership | None, *, actor: Actor) -> Membership:
    if reports_to is not None:
        _check_manager(member.organisation, reports_to)
        # Walk up from the new manager: meeting the member means a cycle.
        node = reports_to
        while node is not None:
            if node.pk == member.pk:
                raise ActionError(_("this would make a reporting loop"), field="reports_to")
            node = node.reports_to
    old = member.reports_to_id
    new = reports_to.pk if reports_to else None
    if old == new:
        return member
    member.reports_to = reports_to
    member.save(update_fields=["reports_to"])
    record(
        "member.change_manager",
        organisation=member.organisation,
        actor=actor,
        obj=member,
        changes={"reports_to": [old, new]},
    )
    return member


@transaction.atomic
def update_member(
    member: Membership,
    *,
    actor: Actor,
    by: Membership,
    role: str | None = None,
    reports_to: Membership | None = None,
    set_reports_to: bool = False,
) -> Membership:
    """Change role and/or manager together: either both apply or neither does."""
    if set_reports_to:
        change_manager(member, reports_to, actor=actor)
    if role is not None:
        change_role(member, role, actor=actor, by=by)
    return member


@transaction.atomic
def deactivate_member(member: Membership, *, actor: Actor, by: Membership | None = None) -> Membership:
    """Lock a member out of this organisation at once: the per-request membership check
    stops their sessions, and their tokens here are revoked."""
    if by is not None and by.pk == member.pk:
        raise ActionError(_("you cannot deactivate yourself"), field="member")
    if by is not None and member.role == Role.OWNER and by.role != Role.OWNER:
        raise ActionError(_("only an owner can deactivate an owner"), field="member", status_code=403)
    if member.role == Role.OWNER and _owners_left(member.organisation_id, member) == 0:
        raise Conflict(_("an organisation needs at least one active owner"), field="member")
    if not member.is_active:
        return member
    now = timezone.now()
    member.is_active = False
    member.deactivated_at = now
    member.save(update_fields=["is_active", "deactivated_at"])
    revoked = ApiToken.objects.filter(
        organisation_id=member.organisation_id, user_id=member.user_id, revoked_at__isnull=True
    ).update(revoked_at=now)
    # Their direct reports move up to the deactivated member's own manager.
    for report in member.reports.all():
        change_manager(report, member.reports_to, actor=actor)
    _revoke_pending_invitations(member.organisation, member.user.email, actor=actor)
    record(
        "member.deactivate",
        organisation=member.organisation,
        actor=actor,
        obj=member,
        changes={"tokens_revoked": revoked},
    )
    return member


@transaction.atomic
def reactivate_member(member: Membership, *, actor: Actor, by: Membership | None = None) -> Membership:
    if by is not None and member.role == Role.OWNER and by.role != Role.OWNER:
        raise ActionError(_("only an owner can reactivate an owner"), field="member", status_code=403)
    if member.is_active:
        return member
    member.is_active = True
    member.deactivated_at = None
    manager = member.reports_to
    if manager is not None and (not manager.is_active or manager.role == Role.AGENT):
        member.reports_to = None
    member.save(update_fields=["is_active", "deactivated_at", "reports_to"])
    record("member.reactivate", organisation=member.organisation, actor=actor, obj=member)
    return member


TOKEN_PREFIXES = {TokenKind.PERSONAL: "ltp_", TokenKind.DEVICE: "ltd_"}


@transaction.atomic
def create_api_token(
    member: Membership, *, name: str, actor: Actor, kind: str = TokenKind.PERSONAL
) -> tuple[ApiToken, str]:
    """Returns the token and its secret, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ActionError(_("give the token a name"), field="name")
    if len(name) > 100:
        raise ActionError(_("at most 100 characters"), field="name")
    if not member.is_active:
        raise ActionError(_("the member is deactivated"), field="member")
    for _attempt in range(3):
        raw = TOKEN_PREFIXES[TokenKind(kind)] + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    organisation_id=member.organisation_id,
                    user_id=member.user_id,
                    kind=kind,
                    name=name,
                    prefix=raw[:12],
                    token_hash=hash_secret(raw),
                )
            break
        except IntegrityError:  # pragma: no cover — a 256-bit collision
            continue
    record("token.create", organisation=member.organisation, actor=actor, obj=token, changes={"kind": kind})
    return token, raw


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor: Actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record("token.revoke", organisation=token.organisation, actor=actor, obj=token)
    return token


@transaction.atomic
def sign_up(
    *, org_name: str, slug: str, full_name: str, email: str, password: str, actor: Actor
) -> tuple[Organisation, Membership]:
    if not settings.SIGNUP_ENABLED:
        raise ActionError(_("sign-up is switched off on this server"), field="signup", status_code=403)
    email = User.objects.normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise Conflict(
            _("an account with this e-mail exists; log in and create the organisation there"), field="email"
        )
    if not full_name.strip():
        raise ActionError(_("please give your name"), field="full_name")
    _check_password(password, User(email=email, full_name=full_name))
    return create_organisation(
        name=org_name,
        slug=slug,
        owner_email=email,
        owner_name=full_name.strip(),
        password=password,
        actor=actor,
    )


def _record_for_user(user: User, action: str, *, actor: Actor, changes: dict | None = None) -> None:
    """An event about a person lands in each organisation they are active in, so each
    organisation's admins see it and its retention applies."""
    for membership in user.memberships.filter(is_active=True).select_related("organisation"):
        record(action, organisation=membership.organisation, actor=actor, obj=user, changes=changes)


@transaction.atomic
def update_profile(user: User, *, actor: Actor, region: str = "IN", **fields) -> User:
    """A person's own name, phone and language. The phone is kept in E.164; an empty language
    follows the organisation's default."""
    changed = []
    if "language" in fields:
        _check_language(fields["language"], required=False)
        if fields["language"] != user.language:
            user.language = fields["language"]
            changed.append("language")
    if "full_name" in fields:
        name = (fields["full_name"] or "").strip()
        if not name:
            raise ActionError(_("may not be empty"), field="full_name")
        if name != user.full_name:
            user.full_name = name
            changed.append("full_name")
    if "phone" in fields:
        raw = (fields["phone"] or "").strip()
        try:
            phone = normalise(raw, region) if raw else ""
        except InvalidPhone as exc:
            raise ActionError(str(exc), field="phone") from None
        if phone != user.phone:
            user.phone = phone
            changed.append("phone")
    if changed:
        user.save(update_fields=changed)
        _record_for_user(user, "user.update_profile", actor=actor, changes={"fields": changed})
    return user


def record_password_change(user: User, *, actor: Actor) -> None:
    _record_for_user(user, "user.password_change", actor=actor)


def record_login(user: User, membership: Membership | None, *, actor: Actor) -> None:
    if membership is not None:
        record("user.login", organisation=membership.organisation, actor=actor, obj=user)


def record_password_reset(user: User, *, actor: Actor) -> None:
    _record_for_user(user, "user.password_reset", actor=actor)


@transaction.atomic
def purge_expired_audit_events(now=None) -> int:
    """The retention purge: the only code allowed to delete audit events."""
    now = now or timezone.now()
    total = 0
    for org in Organisation.objects.only("id", "audit_retention_days"):
        # Never under the floor, also for organisations that chose less before it was raised.
        days = max(org.audit_retention_days, AUDIT_RETENTION_MIN)
        cutoff = now - dt.timedelta(days=days)
        deleted, _by_kind = AuditEvent.objects.filter(organisation=org).purge_expired(before=cutoff)
        if deleted:
            # Written after the purge, so this event is never among those it removes.
            changes = {"audit_events": deleted, "retention_days": days}
            record("audit.purged", organisation=org, actor=Actor.system(), obj=org, changes=changes)
        total += deleted
    return total
