"""Settings → Assignment rules: the agents of a new rule are ticked, one checkbox a member, not
picked in a four-line multiple-choice list (a box that scrolls inside itself on a phone and
needs Ctrl or a long press to choose a second name, which a first-day admin does not know)."""

import re

from leadtracker.leads.models import AssignmentRule


def test_the_rule_form_ticks_its_agents_and_saves_them(acme, as_member):
    owner = as_member(acme.olga)
    page = owner.get("/leads/settings/").content.decode()
    assert not re.search(r'<select[^>]*name="agents"', page)
    for person in (acme.alice, acme.bob, acme.carl):
        assert f'<input type="checkbox" name="agents" value="{person.user_id}">' in page

    answer = owner.post(
        "/leads/settings/rules/", {"name": "Walk-ins", "agents": [acme.alice.user_id, acme.bob.user_id]}
    )
    assert answer.status_code in (200, 302)
    rule = AssignmentRule.objects.get(organisation=acme.org, name="Walk-ins")
    assert set(rule.agents.values_list("pk", flat=True)) == {acme.alice.user_id, acme.bob.user_id}
