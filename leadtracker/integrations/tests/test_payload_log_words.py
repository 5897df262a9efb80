"""A connector's payload log says what each delivery became in words: "New lead: <name>"
linked to the lead, "Failed: <reason>" (no stray space), "Call with <name>" for a telephony
line (whose health panel says "Last call"); the provider's id is small print, not a column."""

from leadtracker.integrations.actions import receive_payload
from leadtracker.integrations.tests.util import connector, work_off
from leadtracker.testing import login_client


def test_a_lead_sources_log_names_the_lead_and_the_failure(acme):
    google, _ = connector(acme, "google-ads")
    good = {
        "lead_id": "ok-1",
        "user_column_data": [
            {"column_id": "FULL_NAME", "string_value": "Asha Sharma"},
            {"column_id": "PHONE_NUMBER", "string_value": "98765 22233"},
        ],
    }
    receive_payload(google, "ok-1", good)
    receive_payload(google, "bad-1", {"lead_id": "bad-1"})
    done, failed = work_off()
    page = login_client(acme.adam).get(f"/settings/integrations/{google.pk}/").content.decode()
    assert "New lead:" in page
    assert f'<a href="/leads/{done.lead_id}/">Asha Sharma</a>' in page
    assert "Failed: no user_column_data in the lead" in page and "Failed :" not in page
    assert (
        "<th>Id</th>" not in page and "<table" not in page.split('id="log-title"')[1].split("</section>")[0]
    )
    assert "Last lead" in page and "Last call" not in page


def test_a_telephony_log_reads_as_calls(acme, new_lead):
    lead = new_lead(acme, owner=acme.alice, name="Ravi Kumar", phone="98765 43210")
    line, _ = connector(acme, "exotel", sid="a", api_key="k", api_token="t", caller_id="08047091234")
    # Exotel's Passthru of an incoming call nobody answered.
    passthru = {"CallSid": "c1", "CallFrom": "09876543210", "Direction": "incoming"}
    passthru["DialCallStatus"] = "no-answer"
    receive_payload(line, "c1:no-answer", passthru)
    (processed,) = work_off()
    assert processed.lead_id == lead.pk
    page = login_client(acme.adam).get(f"/settings/integrations/{line.pk}/").content.decode()
    assert "Call with" in page and f'<a href="/leads/{lead.pk}/">Ravi Kumar</a>' in page
    assert "New lead" not in page and "Last call" in page and "Last lead" not in page
