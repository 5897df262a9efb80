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
