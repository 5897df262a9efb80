"""`leadtracker-agent pair LINK`: the pairing link the web app shows (https://host/p/CODE)
gives the server and the code; anything else is refused with what a link looks like."""

import pytest
from leadtracker_agent.phone import LinkError, parse_link
from support import run_agent


@pytest.mark.parametrize(
    ("link", "server", "code"),
    [
        ("https://crm.example.in/p/ABCD-EFGH", "https://crm.example.in", "ABCD-EFGH"),
        ("  https://crm.example.in/p/abcd-efgh/\n", "https://crm.example.in", "ABCD-EFGH"),
        ("https://example.in/crm/p/ABCDEFGH", "https://example.in/crm", "ABCDEFGH"),
        ("http://127.0.0.1:8000/p/WXYZ-2345", "http://127.0.0.1:8000", "WXYZ-2345"),
    ],
)
def test_a_link_gives_the_server_and_the_code(link, server, code):
    assert parse_link(link) == (server, code)


@pytest.mark.parametrize(
    "link",
    [
        "ABCD-EFGH",
        "crm.example.in/p/ABCD-EFGH",
        "ftp://crm.example.in/p/ABCD-EFGH",
        "https://crm.example.in/pair/ABCD-EFGH",
        "https://crm.example.in/p/ABC",
        "https://crm.example.in/p/ABCD-EFGH/qr.svg",
    ],
)
def test_anything_else_is_not_a_link(link):
    with pytest.raises(LinkError):
        parse_link(link)


def test_pair_by_link_against_the_server(server, tmp_path):
    code = server.pairing_code("linked")
    home = tmp_path / "phone"
    done = run_agent(home, "pair", f"{server.url}/p/{code}", "--name", "Sunil's Redmi")
    assert done.returncode == 0, done.stderr
    assert f"at {server.url};" in done.stdout
    # The same link again: used. The agent says what to do.
    done = run_agent(home, "pair", "--force", f"{server.url}/p/{code}")
    assert done.returncode == 2 and "ask for a new code" in done.stderr
    done = run_agent(tmp_path / "other", "pair", f"{server.url}/p/{code}", "--code", code)
    assert done.returncode == 2 and "not both" in done.stderr
    done = run_agent(tmp_path / "other", "pair", "https://crm.example.in/pair/ABCD-EFGH")
    assert done.returncode == 2 and "is not a pairing link" in done.stderr
