"""Call figures for pages of other apps (the Today page), so leads needs no import of calls."""

from django import template

from leadtracker.calls.selectors import call_backs_for

register = template.Library()


@register.simple_tag
def missed_to_return_count(membership) -> int:
    return call_backs_for(membership).filter(closed_at__isnull=True).count()
