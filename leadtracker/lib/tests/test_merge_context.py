"""A page's context is merged from parts that may not name the same key twice: a clash is an
error at once, not a value silently replaced (how a lead's tags became the organisation's)."""

import pytest

from leadtracker.lib.web import ContextClash, merge_context


def test_parts_with_different_keys_merge():
    assert merge_context({"lead": 1, "tags": ["a"]}, {"tag_choices": ["a", "b"]}) == {
        "lead": 1,
        "tags": ["a"],
        "tag_choices": ["a", "b"],
    }


def test_a_key_named_twice_is_refused_naming_it():
    with pytest.raises(ContextClash, match="'tags'"):
        merge_context({"lead": 1, "tags": ["a"]}, {"tags": ["a", "b"]})


def test_the_lead_views_context_cannot_clash_with_the_choices(rf, acme):
    """The choices every lead page merges in name none of the keys the pages give themselves."""
    from leadtracker.leads.selectors import choices

    names = set(choices(acme.olga))
    assert names == {"status_choices", "source_choices", "tag_choices", "owner_choices", "team_choices"}
