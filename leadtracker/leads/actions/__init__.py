"""Every write to leads, one module per sub-feature; each function checks the actor's rights, writes
the timeline and the audit log, and leaves the database consistent or unchanged."""
