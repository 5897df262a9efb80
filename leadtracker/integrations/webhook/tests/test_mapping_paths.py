"""The paths an admin writes in a generic webhook's field mapping."""

import pytest

from leadtracker.integrations.webhook.paths import BadPath, as_text, resolve, steps

BODY = {
    "contact": {"phone": 919876543210, "name": "Ravi"},
    "data": [{"mobile": "+91 98765 43210"}, {"mobile": "other"}],
    "tags": ["2BHK", "Pune"],
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("contact.phone", 919876543210),
        ("data[0].mobile", "+91 98765 43210"),
        ("data[1].mobile", "other"),
        ("data[2].mobile", None),
        ("contact.missing", None),
        ("tags", ["2BHK", "Pune"]),
    ],
)
def test_paths_reach_into_objects_and_lists(path, value):
    assert resolve(BODY, path) == value


def test_a_flat_form_key_with_dots_or_brackets_is_found_as_written():
    assert resolve({"lead[phone]": "98765", "contact.phone": "12345"}, "contact.phone") == "12345"
    assert resolve({"lead[phone]": "98765"}, "lead[phone]") == "98765"
    assert resolve([{"name": "A"}], "[0].name") == "A"


@pytest.mark.parametrize("path", ["", "a..b", "a.[x]", "a" * 201, ".".join("a" * 13)])
def test_bad_paths_are_refused_in_words(path):
    with pytest.raises(BadPath):
        steps(path)


def test_values_become_text_and_objects_are_refused():
    assert as_text(919876543210) == "919876543210"
    assert as_text(["2BHK", "Pune"]) == "2BHK, Pune"
    with pytest.raises(BadPath, match="not to a value"):
        as_text({"phone": "1"})
