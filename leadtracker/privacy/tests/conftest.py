import datetime as dt

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.privacy.notices import actions


def publish_version(org, *, title=None, effective_in=None, items=None):
    """A published notice version, effective now (or ``effective_in`` from now)."""
    draft = actions.create_draft(org, actor=Actor.system(), title=title, items=items)
    when = timezone.now() + effective_in if effective_in else None
    return actions.publish_notice(draft, actor=Actor.system(), effective_at=when)


@pytest.fixture
def notice_in_effect(acme):
    return publish_version(acme.org)


@pytest.fixture
def later():
    return lambda **kw: dt.timedelta(**kw)
