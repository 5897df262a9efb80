"""The one-time-password arithmetic (RFC 4226 and RFC 6238 test vectors) and the sealing of
the shared secret at rest."""

import pytest

from leadtracker.accounts import mfa

RFC_SHA1_KEY = b"12345678901234567890"


def test_hotp_matches_rfc_4226_appendix_d():
    expected = [
        "755224",
        "287082",
        "359152",
        "969429",
        "338314",
        "254676",
        "287922",
        "162583",
        "399871",
        "520489",
    ]
    assert [mfa.hotp(RFC_SHA1_KEY, counter) for counter in range(10)] == expected


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238_appendix_b_sha1(at, code):
    assert mfa.totp(RFC_SHA1_KEY, at, digits=8) == code


def test_totp_sha256_vector_of_rfc_6238():
    key = b"12345678901234567890123456789012"
    assert mfa.totp(key, 1111111109, digits=8, digest="sha256") == "68084774"


def test_window_is_one_step_either_side():
    at = 1_700_000_000.0
    step = mfa.step_at(at)
    for offset in (-1, 0, 1):
        code = mfa.hotp(RFC_SHA1_KEY, step + offset)
        assert mfa.matching_step(RFC_SHA1_KEY, code, at) == step + offset
    for offset in (-2, 2):
        code = mfa.hotp(RFC_SHA1_KEY, step + offset)
        assert mfa.matching_step(RFC_SHA1_KEY, code, at) is None
    assert mfa.matching_step(RFC_SHA1_KEY, "12345", at) is None
    assert mfa.matching_step(RFC_SHA1_KEY, "abcdef", at) is None


def test_spaces_in_a_typed_code_are_ignored():
    at = 1_700_000_000.0
    code = mfa.totp(RFC_SHA1_KEY, at)
    assert mfa.matching_step(RFC_SHA1_KEY, f"{code[:3]} {code[3:]}", at) == mfa.step_at(at)


def test_otpauth_uri_carries_the_base32_secret_and_issuer():
    uri = mfa.otpauth_uri(RFC_SHA1_KEY, account="olga@acme.test", issuer="LeadTracker")
    assert uri.startswith("otpauth://totp/LeadTracker%3Aolga%40acme.test?")
    assert "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in uri and "issuer=LeadTracker" in uri
    assert mfa.from_b32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == RFC_SHA1_KEY


def test_sealed_secret_round_trips_and_hides_the_key(settings):
    sealed = mfa.seal(RFC_SHA1_KEY)
    assert mfa.b32(RFC_SHA1_KEY) not in sealed and RFC_SHA1_KEY.decode() not in sealed
    assert mfa.unseal(sealed) == RFC_SHA1_KEY
    assert mfa.seal(RFC_SHA1_KEY) != sealed  # a new nonce each time


def test_tampered_or_foreign_key_seal_is_refused(settings):
    sealed = mfa.seal(RFC_SHA1_KEY)
    raw = bytearray(mfa.base64.urlsafe_b64decode(sealed[3:]))
    raw[20] ^= 1
    with pytest.raises(ValueError, match="does not match"):
        mfa.unseal("v1." + mfa.base64.urlsafe_b64encode(bytes(raw)).decode())
    settings.SECRET_KEY = "another-key-" * 5
    with pytest.raises(ValueError, match="does not match"):
        mfa.unseal(sealed)


def test_rotated_secret_key_still_opens_old_seals(settings):
    old_key = settings.SECRET_KEY
    sealed = mfa.seal(RFC_SHA1_KEY)
    settings.SECRET_KEY = "the-new-key-" * 5
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert mfa.unseal(sealed) == RFC_SHA1_KEY
