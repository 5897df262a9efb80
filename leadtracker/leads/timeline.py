"""The lead's timeline is built from this app's activities plus entries from apps above it
(calls). They register a function here at start-up, so leads never imports them."""

# Each takes (lead, limit) and returns unsaved Activity objects, newest first.
SOURCES: list = []
