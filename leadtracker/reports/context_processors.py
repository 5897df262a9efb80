from leadtracker.reports.getting_started import checklist


def getting_started(request):
    """The checklist, read only by a page that shows it: the template calls this when it uses
    ``getting_started``, so every other page pays nothing for it."""
    return {"getting_started": lambda: checklist(getattr(request, "membership", None))}
