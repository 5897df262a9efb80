"""Multi-factor sign-in: time-based one-time passwords (RFC 6238) and recovery codes.

The TOTP arithmetic is a few lines of the standard library, written here rather than pulled in
as a dependency. The shared secret is sealed at rest with a key derived from SECRET_KEY
(HMAC-SHA256 as a stream cipher in counter mode, then HMAC-SHA256 over nonce and ciphertext),
so a copy of the database alone does not let anyone compute a person's codes.

Every write about a person's second factor goes through the action functions at the bottom,
each writing its audit event. API tokens and device tokens are not passwords and are not
affected: they keep working for an account with MFA, as they did before.
"""

import base64
import hashlib
import hmac
import math
import secrets
import struct
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leadtracker.accounts import throttle
from leadtracker.accounts.audit import Actor, record
from leadtracker.accounts.models import RecoveryCode, Role, TotpDevice, User
from leadtracker.lib.errors import ActionError

DIGITS = 6
STEP_SECONDS = 30
# One step either side: a phone clock a little off, or a code typed just as it changed.
WINDOW_STEPS = 1
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread

LOCKOUT = throttle.Limit(
    "mfa-fail", "MFA_FAILURES_PER_ACCOUNT", "MFA_FAILURES_PER_ADDRESS", "MFA_LOCKOUT_WINDOW"
)

# --- RFC 4226 / 6238 ----------------------------------------------------------------------


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(at: float) -> int:
    return int(at // STEP_SECONDS)


def totp(key: bytes, at: float, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    return hotp(key, step_at(at), digits=digits, digest=digest)


def matching_step(key: bytes, code: str, at: float) -> int | None:
    """The time step within the window whose code this is, or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(at)
    found = None
    # Every candidate is compared, so timing does not tell which step matched.
    for step in range(now - WINDOW_STEPS, now + WINDOW_STEPS + 1):
        if hmac.compare_digest(hotp(key, step), code):
            found = step
    return found


def b32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


def from_b32(text: str) -> bytes:
    text = "".join(text.split()).upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def otpauth_uri(key: bytes, *, account: str, issuer: str) -> str:
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": b32(key), "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str | None:
    """The URI as an SVG QR code for the authenticator app to scan, if segno is installed."""
    try:
        import segno  # optional: without it the page shows the key to type instead of a QR code
    except ImportError:
        return None
    return segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app")


# --- the secret at rest -------------------------------------------------------------------


def _derived(purpose: str, secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), f"leadtracker.mfa.{purpose}".encode(), hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(
        hmac.new(key, nonce + struct.pack(">I", i), hashlib.sha256).digest() for i in range(blocks)
    )[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def seal(plain: bytes) -> str:
    nonce = secrets.token_bytes(16)
    body = _xor(plain, _keystream(_derived("enc", settings.SECRET_KEY), nonce, len(plain)))
    tag = hmac.new(_derived("mac", settings.SECRET_KEY), nonce + body, hashlib.sha256).digest()
    return "v1." + base64.urlsafe_b64encode(nonce + body + tag).decode()


def unseal(sealed: str) -> bytes:
    """The secret; tries SECRET_KEY_FALLBACKS too, so a key rotation does not lock people out."""
    if not sealed.startswith("v1."):
        raise ValueError("unknown sealing format")
    raw = base64.urlsafe_b64decode(sealed[3:])
    nonce, body, tag = raw[:16], raw[16:-32], raw[-32:]
    for secret_key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        expected = hmac.new(_derived("mac", secret_key), nonce + body, hashlib.sha256).digest()
        if hmac.compare_digest(expected, tag):
            stream = _keystream(_derived("enc", secret_key), nonce, len(body))
            return _xor(body, stream)
    raise ValueError("the sealed secret does not match any SECRET_KEY")


# --- recovery codes -----------------------------------------------------------------------


def _recovery_hash(user_id: int, code: str) -> str:
    # Keyed, so that a stolen database cannot be searched offline for the 60-bit codes.
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hmac.new(
        _derived("recovery", settings.SECRET_KEY), f"{user_id}:{normal}".encode(), hashlib.sha256
    ).hexdigest()


def _new_recovery_code() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def looks_like_totp(code: str) -> bool:
    code = "".join(code.split())
    return len(code) == DIGITS and code.isdigit()


# --- who needs what -------------------------------------------------------------------------


def confirmed_device(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_mfa(user) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def required_for(membership) -> bool:
    """Whether this member must have a second factor (costs no query: the organisation comes
    with the membership)."""
    return (
        membership is not None
        and membership.organisation.require_mfa
        and membership.role in (Role.OWNER, Role.ADMIN)
    )


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _record_for_user(user: User, action: str, *, actor: Actor, changes: dict | None = None) -> None:
    # In every organisation the person is active in, so each one's admins see it.
    for membership in user.memberships.filter(is_active=True).select_related("organisation"):
        record(action, organisation=membership.organisation, actor=actor, obj=user, changes=changes)


# --- actions --------------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(user: User) -> tuple[TotpDevice, bytes]:
    """A fresh secret, not yet active. Replaces an earlier unconfirmed one; refuses while a
    confirmed one exists (disable it first), so a stolen session cannot swap the factor."""
    existing = TotpDevice.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.confirmed_at is not None:
        raise ActionError(
            _("two-factor sign-in is already on; turn it off first"), field="mfa", status_code=409
        )
    key = secrets.token_bytes(SECRET_BYTES)
    if existing is None:
        device = TotpDevice.objects.create(user=user, secret_sealed=seal(key))
    else:
        existing.secret_sealed, existing.last_step, existing.created_at = seal(key), None, timezone.now()
        existing.save(update_fields=["secret_sealed", "last_step", "created_at"])
        device = existing
    return device, key


def pending_secret(user) -> bytes | None:
    """The secret of an enrolment not yet confirmed (shown until it is, never after)."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    return unseal(device.secret_sealed) if device else None


def _accept_code(device: TotpDevice, code: str, at: float | None = None) -> bool:
    """A valid code for a step newer than any accepted before. The conditional update makes
    two requests racing with the same code accept it once."""
    step = matching_step(unseal(device.secret_sealed), code, time.time() if at is None else at)
    if step is None:
        return False
    fresh = Q(last_step__isnull=True) | Q(last_step__lt=step)
    won = TotpDevice.objects.filter(fresh, pk=device.pk).update(last_step=step)
    if won:
        device.last_step = step
    return bool(won)


@transaction.atomic
def confirm_enrolment(user: User, code: str, *, actor: Actor) -> list[str]:
    """Activate the pending secret with a code from the app; returns the recovery codes,
    which are shown this once."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        raise ActionError(_("start the set-up first"), field="mfa", status_code=409)
    if not _accept_code(device, code):
        raise ActionError(_("that code is not right; type the 6 digits your app shows now"), field="code")
    TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
    codes = _replace_recovery_codes(user)
    _record_for_user(user, "mfa.enable", actor=actor)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(user.pk, c)) for c in codes
    )
    return codes


@transaction.atomic
def regenerate_recovery_codes(user: User, code: str, *, actor: Actor) -> list[str]:
    """New codes (the old ones stop working), after a code from the app."""
    device = confirmed_device(user)
    if device is None:
        raise ActionError(_("two-factor sign-in is not on"), field="mfa", status_code=409)
    if not _accept_code(device, code):
        raise ActionError(_("that code is not right; type the 6 digits your app shows now"), field="code")
    codes = _replace_recovery_codes(user)
    _record_for_user(user, "mfa.recovery_codes_regenerated", actor=actor)
    return codes


class Verified:
    """The outcome of a sign-in code: which kind passed and, for a recovery code, how many are left."""

    def __init__(self, kind: str, codes_left: int | None = None):
        self.kind = kind
        self.codes_left = codes_left


@transaction.atomic
def verify_sign_in(user: User, code: str, *, actor: Actor) -> Verified | None:
    """Check the second factor at sign-in: a TOTP code, or an unused recovery code (which is
    then used up, audited). None when it does not pass."""
    device = confirmed_device(user)
    if device is None:
        return None
    if looks_like_totp(code):
        return Verified("totp") if _accept_code(device, code) else None
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(user.pk, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        return None
    left = recovery_codes_left(user)
    _record_for_user(user, "mfa.recovery_code_used", actor=actor, changes={"codes_left": left})
    return Verified("recovery", codes_left=left)


def _remove(user: User) -> None:
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


@transaction.atomic
def disable(user: User, *, password: str, code: str, actor: Actor) -> None:
    """Turn MFA off: needs the password and a current code (or a recovery code)."""
    if not user.check_password(password or ""):
        raise ActionError(_("that is not your password"), field="password")
    if verify_sign_in(user, code or "", actor=actor) is None:
        raise ActionError(_("that code is not right"), field="code")
    _remove(user)
    _record_for_user(user, "mfa.disable", actor=actor)


@transaction.atomic
def reset_for_member(member, *, by, actor: Actor) -> None:
    """An admin clears a member's lost authenticator, so they can sign in with the password and
    enrol again. Only an owner may reset an owner's; nobody resets their own this way."""
    if not by.is_admin:
        raise ActionError(
            _("only admins and owners can reset two-factor sign-in"), field="member", status_code=403
        )
    if member.user_id == by.user_id:
        raise ActionError(_("turn your own off on your security page"), field="member", status_code=403)
    if member.role == Role.OWNER and by.role != Role.OWNER:
        raise ActionError(
            _("only an owner can reset an owner's two-factor sign-in"), field="member", status_code=403
        )
    if not TotpDevice.objects.filter(user_id=member.user_id).exists():
        raise ActionError(
            _("this member has no two-factor sign-in to reset"), field="member", status_code=409
        )
    _remove(member.user)
    record(
        "mfa.reset",
        organisation=member.organisation,
        actor=actor,
        obj=member,
        changes={"user_id": member.user_id},
    )


# --- throttling of wrong codes ----------------------------------------------------------------


def _account(user) -> str:
    return f"user:{user.pk}"


def _lock_key(user) -> str:
    return f"mfa-lock:{user.pk}"


def locked_out(user, ip: str | None) -> bool:
    return cache.get(_lock_key(user)) is not None or throttle.blocked(LOCKOUT, account=_account(user), ip=ip)


def retry_after(user) -> int:
    """Seconds until this person may try a code again."""
    until = cache.get(_lock_key(user))
    if until is not None:
        return max(1, math.ceil(until - time.time()))
    return throttle.retry_after(LOCKOUT)


def record_failure(user, ip: str | None, *, actor: Actor) -> bool:
    """Count a wrong code; True (and an audit event) when this one starts a lockout."""
    throttle.hit(LOCKOUT, account=_account(user), ip=ip)
    if not throttle.blocked(LOCKOUT, account=_account(user)):
        return False
    # The counting windows are fixed; the lockout is not: a whole window from the failure that
    # reached the limit, so it cannot end a second later at a window's edge.
    window = settings.MFA_LOCKOUT_WINDOW
    if cache.add(_lock_key(user), time.time() + window, timeout=window):
        _record_for_user(user, "mfa.lockout", actor=actor, changes={"window_s": window})
        return True
    return False


def clear_failures(user) -> None:
    throttle.clear_account(LOCKOUT, _account(user))
    cache.delete(_lock_key(user))


# --- the enrolment gate -----------------------------------------------------------------------


class EnrolmentGateMiddleware:
    """An owner or admin of an organisation that requires MFA, signed in without it, reaches
    only the enrolment page (and logging out, the privacy notice) until they enrol.

    People only: bearer tokens pass (they are not passwords). Costs no query unless the
    organisation requires MFA and the member is an owner or admin."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def _exempt_prefixes(self):
        return (
            settings.STATIC_URL,
            "/privacy/",
            reverse("privacy_accept"),  # the notice gate may send the person there first
            reverse("mfa_settings"),
            reverse("logout"),
            reverse("login"),
            reverse("switch_organisation"),
            reverse("healthz"),
        )

    def __call__(self, request):
        membership = getattr(request, "membership", None)
        if not required_for(membership) or getattr(request, "api_token", None) is not None:
            return self.get_response(request)
        path = request.path
        is_api = path.startswith("/api/")
        if is_api and request.headers.get("Authorization", "").lower().startswith("bearer "):
            return self.get_response(request)
        if self._exempt is None:
            self._exempt = self._exempt_prefixes()
        if path.startswith(self._exempt) or has_mfa(request.user):
            return self.get_response(request)
        message = (
            f"{membership.organisation.name} requires two-factor sign-in for owners and admins: "
            f"set it up at {reverse('mfa_settings')}"
        )
        if is_api:
            return JsonResponse(
                {"detail": message, "errors": [{"field": "mfa", "message": message}]}, status=403
            )
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("mfa_settings")
            return response
        return redirect("mfa_settings")
