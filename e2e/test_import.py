"""On a 360-pixel phone a manager brings over a property dealer's sheet: the preview shows what
each stage and owner word will become, one is changed, a real worker imports every lead, and
the result says how many warnings there were and lists them, all without sideways scrolling."""

from pathlib import Path

from playwright.sync_api import expect

from e2e.conftest import JOB_DEADLINE_MS
from leadtracker.leads.models import Lead

FIXTURE = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "lead-imports"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
SHOTS = Path(__file__).parent / "screenshots"


def test_a_sheet_from_another_crm_imports_every_lead_on_a_phone(
    phone, live_server, people, login, start_worker
):
    login(phone, live_server.url, "maya@acme.test", home=False)
    phone.goto(f"{live_server.url}/leads/import/")
    phone.set_input_files("input[type=file]", str(FIXTURE / "realestate-budgets.csv"))
    phone.get_by_role("button", name="Upload and check the columns").click()
    expect(phone.locator("h2", has_text="Check the values")).to_be_visible()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    junk = phone.get_by_label("Status for “Junk Lead”")
    expect(junk.locator("option").first).to_have_text("Automatic: Lost (Zoho's word)")
    junk.select_option(label="Negotiation")
    expect(phone.get_by_label("Owner for “Ravi Kumar”").locator("option").first).to_contain_text(
        "by the assignment rules"
    )
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "import-preview-360.png"), full_page=True)
    phone.get_by_role("button", name="Import", exact=True).click()

    start_worker()  # the page polls by itself
    done = "Done — 2 errors, 9 warnings"
    expect(phone.locator(".import-state")).to_have_text(done, timeout=JOB_DEADLINE_MS)
    issues = phone.locator("#import-issues li")
    expect(issues).to_have_count(11)
    expect(issues.first).to_contain_text("Row 2 · Assigned To")
    expect(issues.last).to_contain_text("Row 10 · Contact Number")
    expect(issues.last).to_contain_text("Error — not imported")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.screenshot(path=str(SHOTS / "import-result-360.png"), full_page=True)
    phone.set_viewport_size({"width": 1280, "height": 800})
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.screenshot(path=str(SHOTS / "import-result-1280.png"), full_page=True)

    meena = Lead.objects.get(name="Meena Pillai")
    assert meena.status.name == "Negotiation"  # the person's choice, so no warning for it
    assert Lead.objects.filter(organisation=people.org).count() == 6
