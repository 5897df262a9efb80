"""The ``date`` and ``time`` template filters, in every template without a ``{% load %}``
(settings.TEMPLATES builtins), moving a time into the organisation's zone without ever failing.

Django's own filters ask the template engine to convert first, and the engine lets the
OverflowError of a time near year 1 or 9999 escape: one follow-up planned for 31 December 9999
made the lead's page, the list and the board answer 500 for everyone. These do the conversion
themselves through ``timeutil.to_local`` (such a time is shown in UTC) and leave the formatting
to Django's filters, so ``{{ fu.due_at|date:"j M, g:i A" }}`` reads and renders as before.

Unlike Django's they convert inside ``{% localtime off %}`` too (no template uses it).
"""

from django import template
from django.template import defaultfilters

from leadtracker.lib.timeutil import to_local

register = template.Library()


def _local(value):
    # A value marked to stay as it is (Django's |utc filter) is left alone, as Django does.
    return to_local(value) if getattr(value, "convert_to_local_time", True) else value


@register.filter(is_safe=False)
def date(value, arg=None):
    return defaultfilters.date(_local(value), arg)


@register.filter(is_safe=False)
def time(value, arg=None):
    return defaultfilters.time(_local(value), arg)
