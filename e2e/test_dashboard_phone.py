"""The dashboard's top on a 360-pixel phone, in English and in Hindi: the "Attendance report" and
"Phones" buttons stand apart from the filter card below them (they touched it), and the Team
select shows the whole of what is chosen ("Everyone in my teams" was cut to "Everyone in m…")."""

import pytest
from playwright.sync_api import expect

# The chosen option's text, in the select's own font, against the room the select gives it: its
# inner width less its left padding and the arrow's ~24 px at the right.
CHOICE_FITS = """(sel) => {
  const style = getComputedStyle(sel);
  const probe = document.createElement('span');
  probe.style.font = style.font;
  probe.style.whiteSpace = 'pre';
  probe.style.position = 'absolute';
  probe.textContent = sel.options[sel.selectedIndex].text;
  document.body.appendChild(probe);
  const text = probe.getBoundingClientRect().width;
  probe.remove();
  const room = sel.clientWidth - parseFloat(style.paddingLeft) - 24;
  return {text: Math.ceil(text), room: Math.floor(room), chosen: probe.textContent};
}"""


@pytest.mark.parametrize("language", ["en", "hi"])
def test_dashboard_top_on_a_phone(phone, live_server, people, login, language):
    people.maya.user.language = language
    people.maya.user.save(update_fields=["language"])
    login(phone, live_server.url, "maya@acme.test", home=False)
    phone.goto(f"{live_server.url}/dashboard/?range=7d")
    team = phone.locator("#id_team")
    expect(team).to_be_visible()
    buttons = phone.locator(".titlebar .actions").bounding_box()
    card = phone.locator("form.dash-filter").bounding_box()
    assert card["y"] - (buttons["y"] + buttons["height"]) >= 8, (buttons, card)
    fit = team.evaluate(CHOICE_FITS)
    assert fit["text"] <= fit["room"], fit
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
