"""Setting up two-factor sign-in, through real HTTP: the secret shown until confirmed, a code
to turn it on, recovery codes shown once, regenerating, turning it off, the organisation's
requirement for owners and admins, and an admin's reset of a member's."""

import re
import time

from django.test import Client

from leadtracker.accounts import mfa
from leadtracker.accounts.models import AuditEvent, RecoveryCode, TotpDevice
from leadtracker.accounts.tests.mfa_helpers import code, enrol
from leadtracker.testing import PASSWORD, token_client


def shown_secret(page) -> bytes:
    match = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page.content.decode())
    assert match, "the set-up page shows the key"
    return mfa.from_b32(match.group(1))


def test_enrol_shows_the_secret_until_confirmed_then_never_again(acme, as_member):
    client = as_member(acme.adam)
    assert "Set up two-factor sign-in" in client.get("/profile/security/").content.decode()
    assert client.post("/profile/security/", {"step": "start"}).status_code == 302
    page = client.get("/profile/security/")
    key = shown_secret(page)
    assert (
        f"otpauth://totp/LeadTracker:adam%40acme.test?secret={mfa.b32(key)}"
        in page.content.decode().replace("%3A", ":")
    )
    # A QR code of the same link, for an authenticator on another device to scan.
    assert "<svg width=" in page.content.decode() and 'class="segno"' in page.content.decode()
    # The stored form is sealed, not the key.
    sealed = TotpDevice.objects.get(user=acme.adam.user).secret_sealed
    assert mfa.b32(key) not in sealed
    wrong = client.post("/profile/security/", {"step": "confirm", "code": "12345"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    done = client.post("/profile/security/", {"step": "confirm", "code": mfa.totp(key, time.time())})
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done.content.decode())
    assert len(codes) == 10
    after = client.get("/profile/security/").content.decode()
    assert mfa.b32(key) not in after and "10 unused recovery codes left" in after
    assert AuditEvent.objects.filter(action="mfa.enable", actor_user=acme.adam.user).count() == 1


def test_a_second_enrolment_cannot_replace_an_active_one(acme, as_member):
    enrol(acme.adam.user)
    response = as_member(acme.adam).post("/profile/security/", {"step": "start"})
    assert response.status_code == 400 and "already on" in response.content.decode()


def test_regenerating_recovery_codes_needs_a_code_and_voids_the_old_ones(acme, as_member):
    key, old = enrol(acme.adam.user)
    client = as_member(acme.adam)
    assert client.post("/profile/security/", {"step": "regenerate", "code": "000000"}).status_code == 400
    response = client.post("/profile/security/", {"step": "regenerate", "code": code(key)})
    new = re.findall(r"<code>([a-z2-9-]{14})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert RecoveryCode.objects.filter(user=acme.adam.user).count() == 10
    assert mfa.verify_sign_in(acme.adam.user, old[0], actor=mfa.Actor.system()) is None
    assert mfa.verify_sign_in(acme.adam.user, new[0], actor=mfa.Actor.system()) is not None


def test_turning_off_needs_the_password_and_a_code(acme, as_member):
    key, _codes = enrol(acme.adam.user)
    client = as_member(acme.adam)
    bad_password = client.post(
        "/profile/security/", {"step": "disable", "off-password": "not-it", "off-code": code(key)}
    )
    assert bad_password.status_code == 400 and "not your password" in bad_password.content.decode()
    bad_code = client.post(
        "/profile/security/", {"step": "disable", "off-password": PASSWORD, "off-code": "1"}
    )
    assert bad_code.status_code == 400 and "code is not right" in bad_code.content.decode()
    assert TotpDevice.objects.filter(user=acme.adam.user).exists()
    ok = client.post(
        "/profile/security/", {"step": "disable", "off-password": PASSWORD, "off-code": code(key, 1)}
    )
    assert ok.status_code == 302
    assert not TotpDevice.objects.filter(user=acme.adam.user).exists()
    assert not RecoveryCode.objects.filter(user=acme.adam.user).exists()
    assert AuditEvent.objects.filter(action="mfa.disable").count() == 1


def test_required_mfa_confines_unenrolled_owners_and_admins_to_enrolment(acme, as_member):
    acme.org.require_mfa = True
    acme.org.save()
    admin = as_member(acme.adam)
    for path in ("/", "/members/", "/leads/", "/profile/"):
        response = admin.get(path)
        assert response.status_code == 302 and response.url == "/profile/security/", path
    api = admin.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["errors"][0]["field"] == "mfa"
    page = admin.get("/profile/security/")
    assert page.status_code == 200 and "requires two-factor sign-in" in page.content.decode()
    # Managers and agents are not required to.
    assert as_member(acme.maya).get("/members/").status_code == 200
    # Enrolled: free again.
    enrol(acme.adam.user)
    assert admin.get("/members/").status_code == 200


def test_required_mfa_leaves_bearer_tokens_alone(acme, api_as):
    acme.org.require_mfa = True
    acme.org.save()
    assert api_as(acme.olga).get("/api/v1/me").status_code == 200


def test_admin_switches_the_requirement_on(acme, as_member):
    page = as_member(acme.olga).get("/settings/organisation/")
    assert "Owners and admins must use two-factor sign-in" in page.content.decode()
    api = token_client(acme.adam)
    response = api.patch("/api/v1/organisation", {"require_mfa": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["require_mfa"] is True
    acme.org.refresh_from_db()
    assert acme.org.require_mfa
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.changes == {"fields": ["require_mfa"]}
    assert (
        token_client(acme.maya)
        .patch("/api/v1/organisation", {"require_mfa": False}, content_type="application/json")
        .status_code
        == 403
    )


def test_admin_resets_a_members_mfa_audited(acme, as_member):
    enrol(acme.alice.user)
    response = as_member(acme.adam).post(f"/members/{acme.alice.pk}/mfa-reset/")
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=acme.alice.user).exists()
    event = AuditEvent.objects.get(action="mfa.reset")
    assert event.actor_user == acme.adam.user and event.object_id == str(acme.alice.pk)
    # Now the password alone signs Alice in, and she may enrol again.
    assert Client().post("/login/", {"email": "alice@acme.test", "password": PASSWORD}).url == "/"


def test_only_an_owner_resets_an_owners_mfa(acme, as_member):
    enrol(acme.olga.user)
    assert as_member(acme.adam).post(f"/members/{acme.olga.pk}/mfa-reset/").status_code == 403
    assert TotpDevice.objects.filter(user=acme.olga.user).exists()
    enrol(acme.adam.user)
    assert as_member(acme.olga).post(f"/members/{acme.adam.pk}/mfa-reset/").status_code == 302
    assert not TotpDevice.objects.filter(user=acme.adam.user).exists()


def test_managers_cannot_reset_and_other_organisations_get_404(acme, globex, as_member):
    enrol(acme.alice.user)
    assert as_member(acme.maya).post(f"/members/{acme.alice.pk}/mfa-reset/").status_code == 403
    assert as_member(globex.olga).post(f"/members/{acme.alice.pk}/mfa-reset/").status_code == 404
    assert TotpDevice.objects.filter(user=acme.alice.user).exists()
