"""The trash: a deleted lead is kept whole for TRASH_DAYS, restorable by whoever may see it,
then purged by the nightly job. See actions.py for how, and docs/decisions.md for why."""
