from django import template

register = template.Library()

FALLBACK = "leads/timeline/_other.html"


@register.filter
def timeline_template(entry):
    """The templates that may show this timeline entry, for {% include %} to take the first that
    exists: leads/timeline/_<kind>.html, else _other.html (a kind shown by its label). Apps above
    leads may add entries of kinds of their own (automation's "rule") with a template of that name."""
    if entry.kind.isidentifier():
        return [f"leads/timeline/_{entry.kind}.html", FALLBACK]
    return [FALLBACK]
