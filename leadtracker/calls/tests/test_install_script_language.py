"""/agent/install.sh speaks the language of the person whose phone it pairs (issue 20 §3): the
pairing page's line asks for it with ?lang= (curl says no language of its own); an English
person's line is the line it always was. What it prints stays one quoted word for sh."""

import re
import subprocess
from html import unescape

import pytest
from django.test import Client

from leadtracker.accounts.audit import Actor
from leadtracker.calls import actions

SITE = "https://crm.example.in"


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.AGENT_WHEEL_DIR = tmp_path / "dist"


def _line(member) -> str:
    code = actions.create_pairing_code(member, actor=Actor.system(), by=None)[1]
    page = unescape(Client().get(f"/p/{code}").content.decode())
    return re.search(r"pkg install -y curl && curl -fsSL (\S+) \| sh", page).group(1)


def test_the_line_asks_for_the_script_in_the_persons_language(acme):
    assert _line(acme.alice) == f"{SITE}/agent/install.sh"
    acme.alice.user.language = "hi"
    acme.alice.user.save(update_fields=["language"])
    assert _line(acme.alice) == f"'{SITE}/agent/install.sh?lang=hi'"


def test_the_script_prints_in_the_language_asked(db):
    english = Client().get("/agent/install.sh").content.decode()
    hindi = Client().get("/agent/install.sh?lang=hi").content.decode()
    assert "fail 'Pairing did not work. On the web app open Phones" in english
    assert f"step '2/4 Installing the LeadTracker agent from {SITE}'" in english
    assert "fail 'फ़ोन नहीं जुड़ पाया। वेब ऐप में फ़ोन खोलें" in hindi
    assert f"step '2/4 {SITE} से LeadTracker एजेंट लग रहा है'" in hindi
    assert "Pairing did not work" not in hindi
    # The commands are the same; only the words differ. Another value of lang is English.
    assert [x for x in english.splitlines() if x.startswith("pip ")][0].split("||")[0] in hindi
    assert Client().get("/agent/install.sh?lang=xx").content.decode() == english
    for script in (english, hindi):
        assert subprocess.run(["sh", "-n"], input=script.encode(), check=False).returncode == 0


def test_a_missing_link_is_said_in_hindi_when_run(db, tmp_path):
    script = tmp_path / "install.sh"
    script.write_bytes(Client().get("/agent/install.sh?lang=hi").content)
    done = subprocess.run(["sh", str(script)], capture_output=True, check=False)
    assert done.returncode == 1
    assert f"पेयरिंग लिंक नहीं मिला। पेयरिंग पेज ({SITE}/p/...) से पूरी लाइन" in done.stderr.decode()
