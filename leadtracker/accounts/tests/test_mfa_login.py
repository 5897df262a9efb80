"""Logging in with a second factor, through real HTTP: the code step after the password,
no access with a half-signed-in session, replay refusal, recovery codes, wrong-code lockout."""

from django.test import Client, override_settings

from leadtracker.accounts.models import AuditEvent, RecoveryCode, User
from leadtracker.accounts.tests.mfa_helpers import code, enrol
from leadtracker.testing import PASSWORD


def password_step(client, email="olga@acme.test", ip="203.0.113.7", next_url=""):
    data = {"email": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data, REMOTE_ADDR=ip)


def wrong_code(key) -> str:
    window = {code(key, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in window)


def code_step(client, value, ip="203.0.113.7"):
    return client.post("/login/code/", {"code": value}, REMOTE_ADDR=ip)


def test_password_then_code_signs_in_and_is_audited(acme):
    key, _codes = enrol(acme.olga.user)
    client = Client()
    response = password_step(client, next_url="/members/")
    assert response.status_code == 302 and response.url == "/login/code/"
    page = client.get("/login/code/")
    assert page.status_code == 200 and "authenticator app" in page.content.decode()
    response = code_step(client, code(key))
    assert response.status_code == 302 and response.url == "/members/"
    assert client.get("/members/").status_code == 200
    assert AuditEvent.objects.filter(action="user.login", actor_user=acme.olga.user).count() == 1


def test_half_signed_in_session_reaches_no_page_and_no_api(acme):
    enrol(acme.olga.user)
    client = Client()
    password_step(client)
    home = client.get("/")
    assert home.status_code == 302 and home.url.startswith("/login/")
    assert client.get("/members/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/profile/security/").status_code == 302
    assert not AuditEvent.objects.filter(action="user.login").exists()


def test_without_mfa_the_password_alone_signs_in(acme):
    enrol(acme.olga.user)
    response = password_step(Client(), email="alice@acme.test")
    assert response.status_code == 302 and response.url == "/"


def test_wrong_code_is_refused_with_the_field_named(acme):
    key, _codes = enrol(acme.olga.user)
    client = Client()
    password_step(client)
    response = code_step(client, wrong_code(key))
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get("/members/").status_code == 302  # still not signed in


def test_a_used_code_cannot_be_used_again(acme):
    key, _codes = enrol(acme.olga.user)
    current = code(key)
    first = Client()
    password_step(first)
    assert code_step(first, current).status_code == 302
    thief = Client()
    password_step(thief)
    replay = code_step(thief, current)
    assert replay.status_code == 400
    assert thief.get("/members/").status_code == 302
    # The next step's code (the window allows one step ahead) works once.
    assert code_step(thief, code(key, steps_ahead=1)).status_code == 302


def test_an_older_code_after_a_newer_one_is_refused(acme):
    key, _codes = enrol(acme.olga.user)
    client = Client()
    password_step(client)
    assert code_step(client, code(key, steps_ahead=1)).status_code == 302
    again = Client()
    password_step(again)
    assert code_step(again, code(key)).status_code == 400


def test_recovery_code_works_once_warns_and_is_audited(acme):
    _key, codes = enrol(acme.olga.user)
    client = Client()
    password_step(client)
    response = code_step(client, codes[0].upper())  # as typed: any case, dashes optional
    assert response.status_code == 302
    page = client.get(response.url, follow=True)
    assert "recovery code" in page.content.decode() and "9 are left" in page.content.decode()
    event = AuditEvent.objects.get(action="mfa.recovery_code_used")
    assert event.changes == {"codes_left": 9} and event.actor_user == acme.olga.user
    again = Client()
    password_step(again)
    assert code_step(again, codes[0]).status_code == 400
    assert code_step(again, codes[1].replace("-", "")).status_code == 302
    assert RecoveryCode.objects.filter(user=acme.olga.user, used_at__isnull=True).count() == 8


def test_recovery_codes_are_stored_hashed(acme):
    _key, codes = enrol(acme.olga.user)
    stored = list(RecoveryCode.objects.filter(user=acme.olga.user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and len(set(codes)) == 10
    for plain in codes:
        assert all(plain not in h and plain.replace("-", "") not in h for h in stored)


# A long counting window, so the five failures cannot straddle a window's edge mid-test.
@override_settings(MFA_FAILURES_PER_ACCOUNT=5, MFA_FAILURES_PER_ADDRESS=100, MFA_LOCKOUT_WINDOW=10**7)
def test_five_wrong_codes_lock_the_account_out_and_are_audited(acme):
    key, _codes = enrol(acme.olga.user)
    wrong = wrong_code(key)
    statuses = []
    for i in range(5):
        client = Client()
        password_step(client, ip=f"198.51.100.{i}")
        statuses.append(code_step(client, wrong, ip=f"198.51.100.{i}").status_code)
    assert statuses == [400, 400, 400, 400, 429]
    # Locked from any address, even with the right code, until the window passes.
    client = Client()
    password_step(client, ip="192.0.2.50")
    locked = code_step(client, code(key), ip="192.0.2.50")
    assert locked.status_code == 429
    # A whole window from the failure that started it, not until the counting window's edge.
    assert 10**7 - 60 < int(locked["Retry-After"]) <= 10**7
    assert "Too many wrong codes" in locked.content.decode()
    assert client.get("/members/").status_code == 302
    assert AuditEvent.objects.filter(action="mfa.lockout", organisation=acme.org).count() == 1


def test_the_code_step_expires(acme):
    key, _codes = enrol(acme.olga.user)
    client = Client()
    password_step(client)
    session = client.session
    session["mfa_pending"]["at"] -= 10 * 60
    session.save()
    response = code_step(client, code(key))
    assert response.status_code == 302 and response.url == "/login/"
    assert client.get("/members/").status_code == 302


def test_invitation_accepted_with_an_existing_password_still_asks_for_the_code(acme, globex):
    from leadtracker.accounts.actions import invite_member
    from leadtracker.accounts.audit import Actor

    key, _codes = enrol(acme.olga.user)
    _inv, raw = invite_member(globex.org, email="olga@acme.test", actor=Actor.system())
    client = Client()
    response = client.post(f"/invite/{raw}/", {"password": PASSWORD})
    assert response.status_code == 302 and response.url == "/login/code/"
    assert client.get("/members/").status_code == 302
    assert code_step(client, code(key)).status_code == 302
    assert client.get("/members/").status_code == 200


def test_api_tokens_keep_working_for_an_account_with_mfa(acme, api_as):
    enrol(acme.olga.user)
    assert api_as(acme.olga).get("/api/v1/me").status_code == 200


def test_the_django_admin_login_cannot_skip_the_code(acme):
    root = User.objects.create_superuser("root@acme.test", PASSWORD, full_name="Root")
    key, _codes = enrol(root)
    client = Client()
    posted = client.post("/django-admin/login/", {"username": "root@acme.test", "password": PASSWORD})
    assert posted.status_code == 302 and posted.url.startswith("/login/?next=")
    assert client.get("/django-admin/").status_code == 302
    password_step(client, email="root@acme.test", next_url="/django-admin/")
    assert client.get("/django-admin/").status_code == 302  # half signed in
    response = code_step(client, code(key))
    assert response.url == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_a_member_who_is_not_staff_gets_403_from_the_admin_not_a_loop(acme, as_member):
    client = as_member(acme.alice)
    response = client.get("/django-admin/", follow=True)
    assert response.status_code == 403


@override_settings(MFA_FAILURES_PER_ACCOUNT=2, MFA_FAILURES_PER_ADDRESS=100, MFA_LOCKOUT_WINDOW=600)
def test_the_lockout_lasts_a_whole_window_even_past_the_counting_windows_edge(acme):
    from django.core.cache import cache

    from leadtracker.accounts import mfa

    key, _codes = enrol(acme.olga.user)
    client = Client()
    password_step(client)
    assert [code_step(client, wrong_code(key)).status_code for _ in range(2)] == [400, 429]
    # The counters of this window are gone (as at its edge); the lockout stays.
    mfa.throttle.clear_account(mfa.LOCKOUT, f"user:{acme.olga.user.pk}")
    assert cache.get(f"mfa-lock:{acme.olga.user.pk}") is not None
    locked = code_step(client, code(key))
    assert locked.status_code == 429 and 540 < int(locked["Retry-After"]) <= 600
