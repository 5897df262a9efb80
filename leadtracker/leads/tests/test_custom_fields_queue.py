"""The calling queue's card shows the lead's filled custom values (budget, BHK …) so the agent
has them on the call; a field hidden from agents is not on an agent's card."""

from leadtracker.accounts.audit import Actor
from leadtracker.leads.fields import actions


def test_the_queue_card_shows_filled_custom_values(acme, as_member, new_lead):
    sys = Actor.system()
    actions.create_field(acme.org, label="Budget", type="money", actor=sys)
    actions.create_field(acme.org, label="BHK", type="choice", choices=["2", "3"], actor=sys)
    actions.create_field(acme.org, label="Possession", type="date", actor=sys)
    actions.create_field(acme.org, label="Commission", type="number", hidden_from_agents=True, actor=sys)
    new_lead(
        acme, name="Asha", owner=acme.alice, custom_fields={"budget": 4500000, "bhk": "2", "commission": 2}
    )
    page = as_member(acme.alice).get("/queue/").content.decode()
    card = page[page.index('id="lead-name"') :]
    assert "Asha" in card and "Budget" in card and "₹45 L" in card and "BHK" in card
    assert "Possession" not in card  # not filled in: not on the card
    assert "Commission" not in page
