"""Production settings: secure defaults with DEBUG=False, and `check --deploy` is clean."""

import json
import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from leadtracker import settings as settings_module

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


# The settings module read afresh in this process (runpy), with the environment a process would
# have: what these tests check is how the module reads its environment, and a `leadtracker`
# process each would be a second or more of CPU starting Django around that (four of them).
def read_settings(monkeypatch, tmp_path, extra_env) -> dict:
    for name in [*PRODUCTION, "DATABASE_URL"]:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    for name, value in {**extra_env, "LEADTRACKER_VAR_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(settings_module.__file__)


@pytest.mark.parametrize("missing", ["SECRET_KEY"])
def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY: required when DEBUG is off"):
        read_settings(monkeypatch, tmp_path, env)


def test_secret_key_may_come_from_a_file(tmp_path, monkeypatch):
    key_file = tmp_path / "key"
    key_file.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(key_file)}
    read = read_settings(monkeypatch, tmp_path, env)
    assert read["SECRET_KEY"] == PRODUCTION["SECRET_KEY"] and read["DEBUG"] is False
    # The key `check --deploy` passed with above, from a file instead of the environment.
    assert read["SESSION_COOKIE_SECURE"] and read["SECURE_HSTS_SECONDS"] >= 31536000


def test_development_generates_and_keeps_a_secret_key(tmp_path, monkeypatch):
    first = read_settings(monkeypatch, tmp_path, {"DEBUG": "True"})["SECRET_KEY"]
    second = read_settings(monkeypatch, tmp_path, {"DEBUG": "True"})["SECRET_KEY"]
    assert len(first) >= 50 and first == second
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_bad_boolean_setting_names_the_variable(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="DEBUG: expected a boolean"):
        read_settings(monkeypatch, tmp_path, {"DEBUG": "maybe"})
