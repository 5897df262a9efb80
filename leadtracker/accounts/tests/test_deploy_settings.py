"""Production settings: secure defaults with DEBUG=False, and `check --deploy` is clean."""

import json
import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "crm.example.in",
    "SITE_URL": "https://crm.example.in",
}


def run(args, extra_env, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DATABASE_URL"}
    env.update(extra_env, LEADTRACKER_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "leadtracker.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


# One process for both (each `leadtracker` process is about a second of CPU starting Django):
# `check --deploy` at warning level, then the settings it left on.
def test_check_deploy_passes_at_warning_level_and_secure_defaults_are_on(tmp_path):
    code = (
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING'); "
        "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k) for k in "
        "['SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS',"
        "'SECURE_PROXY_SSL_HEADER','EMAIL_BACKEND','ALLOWED_HOSTS','CSRF_TRUSTED_ORIGINS']}))"
    )
    result = run(["shell", "-c", code], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://crm.example.in"]


@pytest.mark.parametrize("missing", ["SECRET_KEY"])
def test_production_refuses_to_start_without_a_secret_key(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY: required when DEBUG is off" in result.stderr


def test_secret_key_may_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(key_file)}
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stderr


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    env = {"DEBUG": "True"}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run(["shell", "-c", code], env, tmp_path).stdout.strip()
    second = run(["shell", "-c", code], env, tmp_path).stdout.strip()
    assert len(first) >= 50 and first == second
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_bad_boolean_setting_names_the_variable(tmp_path):
    result = run(["check"], {"DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0 and "DEBUG: expected a boolean" in result.stderr
