"""The dashboard's funnel and conversion-by-source charts carry each status's and source's
palette colour (the one the admin picked, else the chips' default), row for row beside the
figures — and the CSV downloads stay figures only."""

import json
import re

from leadtracker.leads import colours
from leadtracker.leads.models import LeadSource, LeadStatus, StatusKind
from leadtracker.testing import login_client, make_lead


def chart_data(page: str) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the dashboard carries its chart data"
    return json.loads(found.group(1))


def hexes(name: str) -> dict:
    _label, fill, edge = colours.PALETTE[name]
    return {"name": name, "fill": fill, "edge": edge}


def test_funnel_and_sources_carry_their_palette_colours(acme):
    org = acme.org
    won = LeadStatus.objects.get(organisation=org, kind=StatusKind.WON)
    LeadStatus.objects.filter(pk=won.pk).update(colour="lime")
    fair = LeadSource.objects.create(organisation=org, name="Trade fair", colour="pink")
    web = LeadSource.objects.create(organisation=org, name="Website")
    make_lead(acme, phone="98111 00001", source=fair, status=won)
    make_lead(acme, phone="98111 00002", source=fair)
    make_lead(acme, phone="98111 00003", source=web)
    make_lead(acme, phone="98111 00004")

    data = chart_data(login_client(acme.olga).get("/dashboard/?range=today").content.decode())

    funnel = data["funnel"]
    statuses = {s.name: s for s in LeadStatus.objects.filter(organisation=org, is_active=True)}
    assert len(funnel["colours"]) == len(funnel["rows"]) == len(statuses)
    for (name, _leads), colour in zip(funnel["rows"], funnel["colours"], strict=True):
        assert colour == hexes(statuses[name].chip), name
    assert funnel["colours"][[r[0] for r in funnel["rows"]].index(won.name)] == hexes("lime")

    sources = data["sources"]
    by_name = dict(zip([r[0] for r in sources["rows"]], sources["colours"], strict=True))
    assert by_name == {
        "Trade fair": hexes("pink"),
        "Website": hexes(colours.source_default(web.pk)),
        "No source": hexes("slate"),
    }


def test_the_csv_downloads_have_no_colour_columns(acme):
    fair = LeadSource.objects.create(organisation=acme.org, name="Trade fair", colour="pink")
    make_lead(acme, source=fair)
    client = login_client(acme.olga)
    for chart in ("funnel", "sources"):
        response = client.get(f"/dashboard/data.csv?chart={chart}&range=today")
        text = response.content.decode()
        assert response.status_code == 200
        assert "#" not in text and "pink" not in text, text
