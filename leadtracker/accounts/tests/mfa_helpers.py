"""Helpers for the MFA tests: enrol someone for real (through the actions) and get codes."""

import time

from leadtracker.accounts import mfa
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import TotpDevice


def enrol(user) -> tuple[bytes, list[str]]:
    """Turn MFA on for ``user``; returns the secret and the recovery codes. The step used to
    confirm is forgotten, so the test may sign in with the current code."""
    _device, key = mfa.start_enrolment(user)
    codes = mfa.confirm_enrolment(user, mfa.totp(key, time.time()), actor=Actor.system())
    TotpDevice.objects.filter(user=user).update(last_step=None)
    return key, codes


def code(key: bytes, steps_ahead: int = 0) -> str:
    return mfa.totp(key, time.time() + steps_ahead * mfa.STEP_SECONDS)
