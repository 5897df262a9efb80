"""Statuses and sources are painted from a fixed palette that always reads: every colour's text
on its chip is at least 4.5:1 (WCAG AA), leads.css paints each one as the palette says, admins
choose them on the settings page (audited), and existing rows start with colours by kind."""

import re
from pathlib import Path

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent
from leadtracker.leads import colours
from leadtracker.leads.actions.settings import create_source, set_colours
from leadtracker.leads.models import LeadStatus

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "leads.css"


@pytest.mark.parametrize("name", list(colours.PALETTE))
def test_every_colour_reads_at_aa_contrast(name):
    _label, background, text = colours.PALETTE[name]
    assert colours.contrast(background, text) >= 4.5, name


def test_the_contrast_sum_is_wcags():
    assert round(colours.contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(colours.contrast("#777777", "#ffffff"), 2) == 4.48


def test_the_stylesheet_paints_each_colour_as_the_palette_says():
    css = CSS.read_text()
    for name, (_label, background, text) in colours.PALETTE.items():
        rule = re.search(rf"\.c-{name} \{{ background: (#[0-9a-f]{{6}}); color: (#[0-9a-f]{{6}}); \}}", css)
        assert rule and rule.groups() == (background, text), name
    assert 8 <= len(colours.PALETTE) <= 10


def test_default_colours_go_by_kind(acme):
    statuses = {s.name: s for s in LeadStatus.objects.filter(organisation=acme.org)}
    assert statuses["Won"].chip == "green"
    assert statuses["Lost"].chip == "red"
    open_chips = [s.chip for s in statuses.values() if s.kind == "open"]
    assert len(set(open_chips)) == len(open_chips)
    assert all(s.chip in colours.PALETTE for s in statuses.values())


def test_admin_picks_colours_on_the_settings_page(acme, as_member):
    won = LeadStatus.objects.get(organisation=acme.org, name="Won")
    source = create_source(acme.org, "IndiaMART", actor=Actor.system())
    client = as_member(acme.adam)
    page = client.get("/leads/settings/").content.decode()
    assert f'name="status-{won.pk}"' in page and f'name="source-{source.pk}"' in page
    response = client.post(
        "/leads/settings/colours/", {f"status-{won.pk}": "teal", f"source-{source.pk}": "pink"}
    )
    assert response.status_code == 302
    won.refresh_from_db()
    source.refresh_from_db()
    assert (won.colour, source.colour) == ("teal", "pink")
    assert AuditEvent.objects.filter(organisation=acme.org, action="pipeline.colours").count() == 1
    assert 'class="pill c-teal"' in client.get("/leads/settings/").content.decode()


def test_a_colour_not_in_the_palette_is_refused(acme, as_member):
    won = LeadStatus.objects.get(organisation=acme.org, name="Won")
    client = as_member(acme.adam)
    client.post("/leads/settings/colours/", {f"status-{won.pk}": "#ff0000"})
    won.refresh_from_db()
    assert won.colour in ("", "green")


def test_agents_cannot_and_another_organisations_status_answers_404(acme, globex, as_member):
    theirs = LeadStatus.objects.filter(organisation=globex.org).first()
    assert (
        as_member(acme.adam).post("/leads/settings/colours/", {f"status-{theirs.pk}": "teal"}).status_code
        == 404
    )
    ours = LeadStatus.objects.filter(organisation=acme.org).first()
    assert (
        as_member(acme.alice).post("/leads/settings/colours/", {f"status-{ours.pk}": "teal"}).status_code
        == 403
    )


def test_the_api_says_each_status_and_sources_colour(acme, api_as):
    won = LeadStatus.objects.get(organisation=acme.org, name="Won")
    set_colours(acme.org, statuses={won.pk: "purple"}, sources={}, actor=Actor.system())
    create_source(acme.org, "JustDial", actor=Actor.system())
    statuses = {s["name"]: s["colour"] for s in api_as(acme.adam).get("/api/v1/statuses").json()}
    assert statuses["Won"] == "purple" and statuses["Lost"] == "red"
    sources = api_as(acme.adam).get("/api/v1/sources").json()
    assert [s["colour"] in colours.PALETTE for s in sources] == [True]
