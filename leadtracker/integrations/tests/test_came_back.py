"""A lead that already exists (same number or e-mail) is not made twice: it gets a "came back"
entry on its timeline and its owner a notification."""

from leadtracker.accounts.models import Notification
from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.tests.util import CAME_BACK_BODY, connector, work_off
from leadtracker.leads.models import Activity, Lead
from leadtracker.testing import make_lead


def test_an_existing_lead_comes_back_instead_of_a_duplicate(acme):
    known = make_lead(acme, name="Kavita Nair", phone="98765 11122", owner=acme.alice)
    hook, _ = connector(acme, "google-ads")
    receive_payload(hook, "g-2", CAME_BACK_BODY)
    [payload] = work_off()
    assert payload.status == "duplicate" and payload.lead_id == known.pk
    assert Lead.objects.filter(organisation=acme.org).count() == 1
    came_back = Activity.objects.get(lead=known, data__came_back=hook.pk)
    assert (
        came_back.body.startswith("Came back through Google Ads: form 4")
        and "Budget: 50 lakh" in came_back.body
    )
    note = Notification.objects.get(user_id=acme.alice.user_id)
    assert note.url == f"/leads/{known.pk}/" and "came back" in note.text
