"""One way to ask before a destructive action on the web.

A destructive form posts to its view as usual. Until the post carries ``confirm=yes`` the view
does nothing and answers a question instead, worded by the view from counts it has just read
("Delete tag “VIP”? 12 leads have it …"): a page of its own without JavaScript, or the inside of
a ``<dialog>`` when static/js/confirm.js asked for it (header ``X-Confirm: dialog``). The question
re-posts every field of the original form plus ``confirm=yes``, so the action runs on exactly
what was asked about. The API does not come through here: it stays direct.

A form marked ``data-confirm`` is first sent by the script as such a probe. A view that finds
nothing to ask (the bulk form assigning rather than deleting) answers the probe 204 before it
writes anything, and the script then submits the form for real.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
PROBE_HEADER = "X-Confirm"
# Said by the answer so the script knows the body is a question, not some other page.
QUESTION_HEADER = "X-Confirm-Question"
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


@dataclass
class Choice:
    """A select shown with the question (where a deleted status's leads go)."""

    name: str
    label: str
    options: list[tuple[str, str]]  # (value, text)
    selected: str = ""


@dataclass
class Question:
    title: str  # "Delete tag “VIP”?"
    button: str  # what the confirming button says: "Delete tag"
    cancel_url: str
    details: list[str] = field(default_factory=list)  # one sentence each: what happens, to how many
    choices: list[Choice] = field(default_factory=list)
    # A template of its own for a question that needs more than sentences (the merge preview);
    # it gets the same context and includes "_confirm_buttons.html".
    template: str = ""
    context: dict = field(default_factory=dict)


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def is_probe(request) -> bool:
    return request.headers.get(PROBE_HEADER) == "dialog"


def gate(request, question: "Question | None | Callable[[], Question | None]") -> HttpResponse | None:
    """What the view answers before it acts, or None to go ahead.

    ``question`` is None when this post has nothing to ask about; a callable is called only
    when the answer is not already given (a merge preview costs queries)."""
    if not confirmed(request):
        if callable(question):
            question = question()
        if question is not None:
            return ask(request, question)
    if is_probe(request):
        # A probe never acts: the script re-submits the form itself.
        return HttpResponse(status=204)
    return None


def ask(request, question: Question) -> HttpResponse:
    chosen = {c.name for c in question.choices}
    data = request.POST if request.method == "POST" else request.GET
    carried = [
        (name, value)
        for name in data
        if name not in _NOT_CARRIED and name not in chosen
        for value in data.getlist(name)
    ]
    context = {"question": question, "carried": carried, "action_url": request.path, **question.context}
    if is_probe(request):
        template = question.template or "_confirm.html"
        response = render(request, template, {**context, "in_dialog": True})
        response[QUESTION_HEADER] = "1"
        return response
    return render(request, "confirm.html", {**context, "in_dialog": False})
