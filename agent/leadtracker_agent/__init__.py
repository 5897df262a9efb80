"""leadtracker-agent: reads a phone's call log and syncs it to a LeadTracker server."""

__version__ = "0.3.0"
