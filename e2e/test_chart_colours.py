"""The dashboard's funnel and conversion-by-source bars are drawn in the colours of their
statuses' and sources' chips (leads/colours.py), read back from Chart.js itself; each bar is
still named by its axis label."""

from leadtracker.leads import colours
from leadtracker.leads.models import LeadSource, LeadStatus
from leadtracker.reports.tests.busy_day import busy_day

DRAWN = """(keys) => window.Chart && keys.every((key) => {
  const chart = Chart.getChart(document.getElementById("chart-" + key));
  return chart && chart.data.labels.length > 0;
})"""

DRAWN_AS = """(key) => {
  const chart = Chart.getChart(document.getElementById("chart-" + key));
  return { labels: chart.data.labels, fills: chart.data.datasets.map((ds) => ds.backgroundColor),
           edges: chart.data.datasets.map((ds) => ds.borderColor) };
}"""


def fill(name):
    return colours.PALETTE[name][1]


def edge(name):
    return colours.PALETTE[name][2]


def test_funnel_and_source_bars_wear_their_palette_colours(page, live_server, people, login):
    busy_day(people)
    status = LeadStatus.objects.filter(organisation=people.org, is_active=True).first()
    LeadStatus.objects.filter(pk=status.pk).update(colour="pink")
    LeadSource.objects.filter(organisation=people.org).update(colour="amber")
    chips = {s.name: s.chip for s in LeadStatus.objects.filter(organisation=people.org, is_active=True)}
    sources = {s.name: s.chip for s in LeadSource.objects.filter(organisation=people.org)}
    sources["No source"] = "slate"

    login(page, live_server.url, "olga@acme.test", home=False)
    page.goto(f"{live_server.url}/dashboard/?range=7d")
    page.wait_for_function(DRAWN, arg=["funnel", "sources"])

    funnel = page.evaluate(DRAWN_AS, "funnel")
    assert funnel["labels"] == list(chips)
    assert funnel["fills"][0] == [fill(chips[name]) for name in funnel["labels"]]
    assert funnel["edges"][0] == [edge(chips[name]) for name in funnel["labels"]]
    assert fill("pink") in funnel["fills"][0]

    drawn = page.evaluate(DRAWN_AS, "sources")
    assert drawn["labels"] and set(drawn["labels"]) <= set(sources)
    leads, won = drawn["fills"]
    assert leads == [fill(sources[name]) for name in drawn["labels"]]
    assert won == [edge(sources[name]) for name in drawn["labels"]]
    assert fill("amber") in leads
