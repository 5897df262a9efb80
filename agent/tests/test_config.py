"""Where the agent keeps its token and settings, and the commands that change them."""

import io
import json
import stat
from contextlib import redirect_stderr, redirect_stdout

from leadtracker_agent.cli import main
from leadtracker_agent.config import Config, home_dir


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def test_home_is_the_env_override_else_xdg_else_dot_config(monkeypatch, tmp_path):
    monkeypatch.setenv("LEADTRACKER_AGENT_HOME", str(tmp_path / "elsewhere"))
    assert home_dir() == tmp_path / "elsewhere"
    assert home_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    monkeypatch.delenv("LEADTRACKER_AGENT_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert home_dir() == tmp_path / "xdg" / "leadtracker-agent"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert home_dir() == tmp_path / "user" / ".config" / "leadtracker-agent"


def test_config_is_written_whole_and_private(tmp_path):
    config = Config(tmp_path / "home")
    config.data["token"] = "secret"
    config.save()
    assert stat.S_IMODE((tmp_path / "home" / "config.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "home").stat().st_mode) == 0o700
    assert json.loads((tmp_path / "home" / "config.json").read_text()) == {"token": "secret"}
    assert [p.name for p in (tmp_path / "home").iterdir()] == ["config.json"]  # no temporary left


def test_a_broken_config_file_is_named(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    status, _, err = run("status", "--home", str(tmp_path))
    assert status == 2 and "config.json: not valid JSON" in err


def test_exclusion_list_commands(tmp_path):
    home = str(tmp_path)
    assert run("exclude", "add", "+91 98765 43210", "121", "--home", home)[0] == 0
    # The same number written another way is not added twice.
    status, out, _ = run("exclude", "add", "09876543210", "--home", home)
    assert status == 0 and out.startswith("2 excluded")
    assert run("exclude", "list", "--home", home)[1].splitlines() == ["+91 98765 43210", "121"]
    status, _, err = run("exclude", "add", "call me", "--home", home)
    assert status == 2 and "exclude: 'call me' has no digits" in err
    status, _, err = run("exclude", "remove", "9999999999", "--home", home)
    assert status == 2 and "not in the list" in err
    assert run("exclude", "remove", "9876543210", "--home", home)[0] == 0
    assert run("exclude", "list", "--home", home)[1].splitlines() == ["121"]


def test_config_command_checks_values(tmp_path):
    home = str(tmp_path)
    assert run("config", "tz", "Asia/Kolkata", "--home", home)[0] == 0
    assert run("config", "tz", "--home", home)[1].strip() == '"Asia/Kolkata"'
    status, _, err = run("config", "source", "bluetooth", "--home", home)
    assert status == 2 and "--source: 'bluetooth' is not termux, adb or file:PATH" in err
    status, _, err = run("config", "interval", "-5", "--home", home)
    assert status == 2 and "interval: '-5' is not a positive number" in err
    assert run("config", "tz", "", "--home", home)[0] == 0
    assert run("config", "tz", "--home", home)[1].strip() == "null"


def test_sync_refuses_a_batch_above_the_protocol_limit(tmp_path):
    config = Config(tmp_path)
    config.data.update(server="http://127.0.0.1:9", token="t")
    config.save()
    status, _, err = run("sync", "--home", str(tmp_path), "--batch-size", "501", "--source", "file:x")
    assert status == 2 and "--batch-size: 501 is more than the protocol's 500" in err


def test_home_may_come_before_or_after_the_command(tmp_path):
    assert run("--home", str(tmp_path / "a"), "exclude", "add", "121")[0] == 0
    assert run("exclude", "add", "122", "--home", str(tmp_path / "b"))[0] == 0
    assert json.loads((tmp_path / "a" / "config.json").read_text())["exclude"] == ["121"]
    assert json.loads((tmp_path / "b" / "config.json").read_text())["exclude"] == ["122"]
