"""IndiaMART: the CRM pull API (v2), polled by the worker, and the push listener."""
