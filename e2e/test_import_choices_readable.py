"""The import preview on a desktop: each column's and each value's choice is read whole — "Phone
(every such column is one of the lead's numbers)", "Automatic: Contacted (Zoho's and HubSpot's
word)" — not cut off at the select's edge, which hid the reason in brackets."""

from pathlib import Path

from playwright.sync_api import expect

FIXTURE = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "lead-imports"

# The selects whose chosen text is wider than the select leaves for it (its padding and arrow).
CUT_OFF = """() => [...document.querySelectorAll('.map-list select')].filter((s) => {
  const cs = getComputedStyle(s);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
  return pen.measureText(s.options[s.selectedIndex].text).width > room;
}).map((s) => s.options[s.selectedIndex].text)"""


def test_the_preview_choices_are_read_whole_on_a_desktop(page, live_server, people, login):
    login(page, live_server.url, "maya@acme.test", home=False)
    page.goto(f"{live_server.url}/leads/import/")
    page.set_input_files("input[type=file]", str(FIXTURE / "realestate-budgets.csv"))
    page.get_by_role("button", name="Upload and check the columns").click()
    expect(page.locator("h2", has_text="Check the values")).to_be_visible()
    assert page.evaluate(CUT_OFF) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
