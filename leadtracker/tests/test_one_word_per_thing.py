"""One word per thing (issue 16): one module per concern, named for what it holds, so that
nobody has to guess which of two files is the one to change."""

import importlib
import importlib.util


def gone(name: str) -> bool:
    return importlib.util.find_spec(name) is None


def test_one_audit_module_writes_and_reads_the_log():
    audit = importlib.import_module("leadtracker.accounts.audit")
    assert gone("leadtracker.accounts.auditlog")
    for name in ("Actor", "record", "record_access", "AuditLogFilterForm", "csv_rows", "with_local_times"):
        assert hasattr(audit, name), name


def test_money_is_shown_and_read_in_one_module():
    money = importlib.import_module("leadtracker.lib.money")
    numbers = importlib.import_module("leadtracker.lib.numbers")
    assert money.short_money(4_500_000) == "₹45 L" and money.parse_amount("45 lakh").value == 4_500_000
    # What is not money stays where numbers are.
    assert hasattr(numbers, "indian_grouping") and not hasattr(numbers, "short_money")


def test_the_call_backs_live_in_callbacks():
    callbacks = importlib.import_module("leadtracker.calls.callbacks")
    assert gone("leadtracker.calls.loop")
    assert callable(callbacks.on_calls_stored)
