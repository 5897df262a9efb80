"""On a 360-pixel phone, every place a number is typed asks the browser for a telephone
keyboard (type=tel): new lead, edit lead, logging a call by hand, one's profile."""

import pytest


@pytest.mark.parametrize(
    "path, selector",
    [
        ("/leads/new/", "input[name=phones]"),
        ("/leads/{lead}/edit/", "input[name=phones]"),
        ("/calls/log/", "input[name=number]"),
        ("/profile/", "input[name=phone]"),
    ],
)
def test_number_inputs_are_tel(phone, live_server, people, login, path, selector):
    from leadtracker.accounts.audit import Actor
    from leadtracker.leads.actions.leads import LeadData, create_lead

    lead, _ = create_lead(
        people.org, LeadData(name="Raj", phones=["98765 43210"]), actor=Actor.system(), by=people.alice
    )
    login(phone, live_server.url, "alice@acme.test", home=False)
    phone.goto(f"{live_server.url}{path.format(lead=lead.pk)}")
    field = phone.locator(selector)
    assert field.evaluate("el => el.type") == "tel"
    field.fill("+91 98765 43210, 91234 56789")  # several numbers, as the lead form takes
    assert field.input_value() == "+91 98765 43210, 91234 56789"
