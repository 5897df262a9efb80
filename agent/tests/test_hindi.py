"""The agent speaks Hindi when the phone's locale is Hindi: doctor, the post-call notification
and the follow-up reminder. The locale is LC_ALL, LC_MESSAGES or LANG; under Termux, which sets
LANG=en_US.UTF-8 whatever the phone's language, it is Android's own setting (getprop
persist.sys.locale). With English (or no locale) every text stays as it was."""

import ast
import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from leadtracker_agent import cli, prompt, reminders, words
from leadtracker_agent.calls import Call
from support import run_agent

from leadtracker.calls.phone_setup import wheel

NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "TERMUX_VERSION": "", "PREFIX": ""}


def fake_getprop(directory: Path, locale: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    tool = directory / "getprop"
    tool.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = persist.sys.locale ] && echo {locale}\n'
        '[ "$1" = ro.product.locale ] && echo en-US\n'
    )
    tool.chmod(0o755)
    return directory


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "hi_IN.UTF-8"}, "hi"),
        ({"LANG": "en_IN.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "en_IN.UTF-8", "LC_MESSAGES": "hi_IN.UTF-8"}, "hi"),
        ({"LANG": "hi_IN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "hi"}, "hi"),
    ],
)
def test_the_language_is_the_posix_locale(monkeypatch, env, expected):
    monkeypatch.setenv("PATH", "/nowhere")
    assert words.language_of({**NO_LOCALE, **env}) == expected


def test_under_termux_the_phones_own_language_is_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(fake_getprop(tmp_path / "bin", "hi-IN")))
    termux = {**NO_LOCALE, "LANG": "en_US.UTF-8", "PREFIX": "/data/data/com.termux/files/usr"}
    assert words.language_of(termux) == "hi"
    assert words.language_of({**termux, "PREFIX": "", "TERMUX_VERSION": "0.118.1"}) == "hi"
    # A locale someone chose in Termux wins over the phone's.
    assert words.language_of({**termux, "LANG": "en_IN.UTF-8"}) == "en"
    # Outside Termux en_US.UTF-8 is a choice like any other.
    assert words.language_of({**NO_LOCALE, "LANG": "en_US.UTF-8"}) == "en"


def test_under_termux_an_english_phone_stays_english(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(fake_getprop(tmp_path / "bin", "en-IN")))
    assert words.language_of({**NO_LOCALE, "LANG": "en_US.UTF-8", "TERMUX_VERSION": "0.118.1"}) == "en"


def test_every_fix_and_every_hindi_text_keeps_its_placeholders():
    for fix in cli.FIX.values():
        assert fix in words.HINDI, fix
    for english, hindi in words.HINDI.items():
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", hindi)), english
        assert hindi.strip(), english


@pytest.fixture
def speaking(monkeypatch):
    def speak(lang: str):
        monkeypatch.setenv("LC_ALL", lang)
        words.language.cache_clear()

    yield speak
    words.language.cache_clear()


CALL = Call(
    "c1", "+919812345678", "IN", "outgoing", dt.datetime(2026, 12, 6, 10, 40, tzinfo=dt.UTC), 130, None, None
)
FOUND = {"id": 7, "lead_name": "Asha Sharma", "sheet_path": "/calls/7/sheet/"}


def shown(args: list[str]) -> dict:
    return {args[i]: args[i + 1] for i in range(0, len(args) - 1, 2) if args[i].startswith("--")}


def test_the_post_call_notification_in_hindi(speaking, tmp_path):
    speaking("hi_IN.UTF-8")
    texts = shown(prompt.notification_args(FOUND, CALL, server="https://crm.example", home=tmp_path))
    assert texts["--title"] == "Asha Sharma से कॉल ख़त्म · 2m 10s"
    assert texts["--content"] == "कॉल कैसी रही?"
    assert (texts["--button1"], texts["--button2"], texts["--button3"]) == ("इंटरेस्टेड", "नहीं लगी", "खोलें")
    # The buttons still record the organisation's outcomes by their (English) names.
    assert "Interested" in texts["--button1-action"] and "'No answer'" in texts["--button2-action"]


def test_the_post_call_notification_in_english_is_as_before(speaking, tmp_path):
    speaking("en_IN.UTF-8")
    texts = shown(prompt.notification_args(FOUND, CALL, server="https://crm.example", home=tmp_path))
    assert texts["--title"] == "Call with Asha Sharma ended · 2m 10s"
    assert texts["--content"] == "How did it go?"
    assert (texts["--button1"], texts["--button2"], texts["--button3"]) == (
        "Interested",
        "Not connected",
        "Open",
    )


def test_the_follow_up_reminder_in_hindi(speaking):
    speaking("hi_IN.UTF-8")
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    item = {
        "id": 3,
        "lead_id": 9,
        "lead_name": "Ravi Kumar",
        "kind": "call",
        "due_at": "2026-12-06T10:40:00Z",
    }
    now = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC).timestamp()
    texts = shown(reminders.notification_args(item, server="https://crm.example", tz=ist, now=now))
    assert texts["--title"] == "फ़ॉलो-अप: Ravi Kumar — कॉल · 4:10 pm"
    assert texts["--content"] == "लीड खोलने के लिए टैप करें"


def test_doctor_in_hindi_on_an_unpaired_phone(tmp_path):
    done = run_agent(
        tmp_path / "phone", "doctor", "--source", "file:/nowhere.xml", **{**NO_LOCALE, "LANG": "hi_IN.UTF-8"}
    )
    assert done.returncode == 1
    assert "जुड़ा है:" in done.stdout and "!! नहीं" in done.stdout
    assert "/nowhere.xml: यह फ़ाइल नहीं है" in done.stdout
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("2 चीज़ें ठीक करनी हैं। पहले यह करें: वेब ऐप पर Phones खोलें, पेयरिंग कोड बनाएँ")


def test_doctor_in_hindi_the_termux_way(tmp_path):
    fake_bin = fake_getprop(tmp_path / "bin", "hi-IN")
    termux = {**NO_LOCALE, "LANG": "en_US.UTF-8", "TERMUX_VERSION": "0.118.1"}
    done = run_agent(
        tmp_path / "phone", "doctor", "--source", "file:/nowhere.xml", fake_bin=fake_bin, **termux
    )
    assert "पहले यह करें: वेब ऐप पर Phones खोलें" in done.stdout.strip().splitlines()[-1]


def test_doctor_in_english_stays_as_today(tmp_path):
    done = run_agent(
        tmp_path / "phone", "doctor", "--source", "file:/nowhere.xml", **{**NO_LOCALE, "LANG": "en_IN.UTF-8"}
    )
    assert "paired:" in done.stdout and "!! no" in done.stdout
    assert (
        done.stdout.strip()
        .splitlines()[-1]
        .startswith("2 thing(s) to fix. Do this first: on the web app open Phones, make a pairing code")
    )


def test_the_catalogue_goes_in_the_wheel(tmp_path):
    built = wheel.build(tmp_path)
    with zipfile.ZipFile(built) as archive:
        assert "leadtracker_agent/words.py" in archive.namelist()


def test_every_text_the_agent_says_has_its_hindi():
    """Each t("…") in the package, and each of doctor's fixes, is in the Hindi catalogue."""
    package = Path(words.__file__).parent
    said = set(cli.FIX.values())
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    said.add(first.value)
    assert len(said) > 60
    assert sorted(said - set(words.HINDI)) == []
