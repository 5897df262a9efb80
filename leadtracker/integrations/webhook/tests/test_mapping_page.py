"""The generic webhook's card on its connector's page: the mapping the admin edits and
"Send a test", which goes through the webhook's own endpoint."""

import pytest

from leadtracker.integrations.models import Connector, Payload, PayloadStatus
from leadtracker.integrations.tests.util import connector, work_off
from leadtracker.leads.models import Lead
from leadtracker.testing import hindi_client

FORM = {
    "name_path": "contact.name",
    "phone_path": "contact.mobile",
    "email_path": "",
    "source_path": "form",
    "id_path": "entry.id",
}


@pytest.fixture
def hook(acme):
    return connector(acme, "webhook")[0]


def test_the_page_shows_the_mapping_in_use(acme, hook, as_member):
    page = as_member(acme.adam).get(f"/settings/integrations/{hook.pk}/").content.decode()
    assert "Field mapping" in page
    assert 'name="phone_path"' in page
    assert 'value="phone"' in page  # the default, which is what is read until one is saved
    assert "Send a test" in page


def test_the_admin_saves_a_mapping_and_a_test_goes_through_it(acme, hook, as_member):
    admin = as_member(acme.adam)
    answer = admin.post(f"/settings/integrations/{hook.pk}/mapping/", FORM)
    assert answer.status_code == 302
    hook.refresh_from_db()
    assert hook.options["mapping"] == {
        "name": "contact.name",
        "phone": "contact.mobile",
        "source": "form",
        "id": "entry.id",
    }
    assert admin.post(f"/settings/integrations/{hook.pk}/test/").status_code == 302
    (payload,) = work_off()
    assert payload.is_test
    assert payload.body["contact"]["mobile"] == "+91 98765 43210"
    assert payload.external_id.startswith("id:test-")
    assert payload.status == PayloadStatus.DONE
    lead = Lead.objects.get(organisation=acme.org)
    assert lead.name == "Test Lead (LeadTracker)"
    assert lead.extra["attribution"] == "Webhook: Send a test"
    assert "test lead" in set(lead.tags.values_list("name", flat=True))
    page = admin.get(f"/settings/integrations/{hook.pk}/").content.decode()
    assert 'value="contact.mobile"' in page


def test_a_hindi_admins_test_lead_reads_in_hindi(acme, hook):
    admin = hindi_client(acme.adam)
    assert admin.post(f"/settings/integrations/{hook.pk}/test/").status_code == 302
    (payload,) = work_off()
    lead = Lead.objects.get(organisation=acme.org)
    assert (lead.name, lead.company) == ("टेस्ट लीड (LeadTracker)", "टेस्ट कंपनी")
    notes = "\n".join(lead.activities.values_list("body", flat=True))
    assert "सेटिंग → इंटीग्रेशन में 'टेस्ट भेजें' से भेजी गई।" in notes
    assert "Send a test" not in notes


def test_a_bad_path_is_refused_in_words_and_nothing_changes(acme, hook, as_member):
    admin = as_member(acme.adam)
    answer = admin.post(
        f"/settings/integrations/{hook.pk}/mapping/", {**FORM, "phone_path": "data..x"}, follow=True
    )
    assert "Phone:" in answer.content.decode()
    hook.refresh_from_db()
    assert "mapping" not in hook.options


@pytest.mark.parametrize("action", ["mapping", "test"])
def test_only_the_organisations_admins_reach_it(acme, globex, hook, as_member, action):
    url = f"/settings/integrations/{hook.pk}/{action}/"
    assert as_member(globex.adam).post(url, FORM).status_code == 404
    assert as_member(acme.alice).post(url, FORM).status_code == 403
    other_kind = Connector.objects.create(organisation=acme.org, kind="google-ads", name="Ads")
    answer = as_member(acme.adam).post(f"/settings/integrations/{other_kind.pk}/{action}/", FORM, follow=True)
    assert "Ads is not a generic webhook" in answer.content.decode()
    other_kind.refresh_from_db()
    assert "mapping" not in other_kind.options
    assert not Payload.objects.exists()
