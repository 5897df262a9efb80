import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.leads import LeadData, create_lead


@pytest.fixture
def new_lead():
    """new_lead(people, by=member, **fields) -> Lead, through the real action."""

    def make(people, by=None, on_duplicate="error", **fields):
        by = by or people.olga
        phones = fields.pop("phones", None)
        if phones is None and "email" not in fields:
            phones = [fields.pop("phone", "98765 43210")]
        data = LeadData(phones=phones or [], **fields)
        lead, _outcome = create_lead(
            people.org, data, actor=Actor.for_user(by.user), by=by, on_duplicate=on_duplicate
        )
        return lead

    return make
