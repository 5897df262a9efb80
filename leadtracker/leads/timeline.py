"""The lead's timeline is built from this app's activities plus entries from apps above it
(calls, the rules that ran). They register here at start-up, so leads never imports them."""

from collections.abc import Callable
from dataclasses import dataclass

# Their entries as branches of the timeline's one statement (leads/page_reads.py), which the lead
# page and the API read.
BRANCHES: list = []


@dataclass(frozen=True)
class Branch:
    """One table's rows on a lead's timeline: ``model``'s rows whose ``lead`` field is the lead,
    the newest ``limit`` by ``order`` ((column, descending) pairs, the last one unique), each with
    the rows of its ``related`` foreign keys loaded (as select_related does); ``entries`` makes
    them (a list, in that order) the lead's entries: ``entries(lead, rows)``."""

    model: type
    order: tuple
    related: tuple
    entries: Callable
