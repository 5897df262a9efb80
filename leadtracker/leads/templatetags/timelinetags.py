from django import template

from leadtracker.leads.models import ActivityKind

register = template.Library()

FALLBACK = "leads/timeline/_other.html"


@register.filter
def timeline_template(entry):
    """The templates that may show this timeline entry, for {% include %} to take the first that
    exists: leads/timeline/_<kind>.html, else _other.html (a kind shown by its label)."""
    if entry.kind in ActivityKind.values:
        return [f"leads/timeline/_{entry.kind}.html", FALLBACK]
    return [FALLBACK]
