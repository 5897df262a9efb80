"""The search box in the header of every page: leads by a number in any format or its last
digits, a name (any script), an e-mail or a company — as you type (htmx asks for the results
alone) or, without JavaScript, as a page of its own."""

from django.http import HttpResponse
from django.shortcuts import render

from leadtracker.accounts.decorators import member_required
from leadtracker.leads import access, masking, selectors

# As you type, a handful is enough to pick from; the page shows more and links to the list,
# which pages through all of them with the same search.
AS_YOU_TYPE = 8
ON_THE_PAGE = 50
LONGEST_QUERY = 100


def find_leads(request, text: str, limit: int) -> tuple[list, bool]:
    """The leads the person may see that match, most recently changed first, and whether
    there are more than ``limit``. One query; a number searched adds its audit event."""
    viewer = request.membership
    org = request.org
    qs = selectors.search(selectors.leads_for(viewer), text, org.pk, org.phone_region)
    rows = list(qs.select_related("status").order_by("-updated_at", "-pk")[: limit + 1])
    access.number_searched(request, text, via="web")
    return masking.mark_leads(viewer, rows[:limit]), len(rows) > limit


@member_required()
def search(request):
    text = request.GET.get("q", "").strip()[:LONGEST_QUERY]
    partial = bool(request.headers.get("HX-Request"))
    leads, more = [], False
    # One letter matches half the organisation: wait for a second one.
    if len(text) >= 2:
        leads, more = find_leads(request, text, AS_YOU_TYPE if partial else ON_THE_PAGE)
    context = {"q": text, "leads": leads, "more": more, "searched": len(text) >= 2}
    if partial:
        if not context["searched"]:
            # Nothing at all, not even a newline: the drop-down shows only while it has content.
            return HttpResponse("")
        return render(request, "leads/_search_results.html", context)
    return render(request, "leads/search.html", context)
