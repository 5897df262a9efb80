"""The Integrations pages are Settings' pages: the Settings tab of the bottom bar is marked as
the current place on them, as on the other settings pages."""

import re

from leadtracker.integrations.tests.util import connector
from leadtracker.testing import login_client

SETTINGS_TAB = re.compile(r'<a class="tab"\s+href="/settings/"[^>]*\saria-current="page"')


def test_the_settings_tab_is_current_on_every_integrations_page(acme):
    hook, _ = connector(acme, "webhook")
    admin = login_client(acme.adam)
    for path in (
        "/settings/integrations/",
        "/settings/integrations/add/exotel/",
        f"/settings/integrations/{hook.pk}/",
    ):
        page = admin.get(path).content.decode()
        assert SETTINGS_TAB.search(page), path
        assert page.count('aria-current="page"') == 1, path
