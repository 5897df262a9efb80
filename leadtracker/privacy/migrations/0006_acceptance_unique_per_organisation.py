"""A member accepts a notice version once: unique (notice, user) becomes (organisation, notice,
user), so the uniqueness check lives on the organisation's shard when distributed by it
(docs/scaling.md). The row already holds its organisation, so no data changes, and the new key
is the old one plus a column: existing rows cannot violate it.

The append-only trigger (0002_frozen_rows) needs care on SQLite only. There, Django adds and
drops a unique constraint by rebuilding the table (create a copy, move the rows, drop the old
table), and dropping the table drops its triggers; the rows are moved by INSERT, which the
trigger does not refuse. So the trigger is created again after the rebuild, in both directions.
On PostgreSQL the constraint changes with ALTER TABLE, which keeps the trigger and updates no row.
"""

from django.db import migrations, models

ACCEPTANCE = "privacy_noticeacceptance"

# The same statement as 0002_frozen_rows creates; IF NOT EXISTS because on PostgreSQL (and on a
# SQLite table that was not rebuilt) the trigger is still there.
SQLITE_TRIGGER = (
    f"CREATE TRIGGER IF NOT EXISTS privacy_acceptance_append_only BEFORE UPDATE ON {ACCEPTANCE} BEGIN "
    "SELECT RAISE(ABORT, 'privacy notice acceptances are append-only'); END"
)


def restore_append_only_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0005_access_export_erasure_ledger")]

    operations = [
        # Runs last when migrating backwards, after the rebuilds of the two steps below.
        migrations.RunPython(migrations.RunPython.noop, restore_append_only_trigger),
        migrations.AddConstraint(
            model_name="noticeacceptance",
            constraint=models.UniqueConstraint(
                fields=("organisation", "notice", "user"), name="privacy_acceptance_once_per_organisation"
            ),
        ),
        migrations.RemoveConstraint(model_name="noticeacceptance", name="privacy_acceptance_once"),
        migrations.RunPython(restore_append_only_trigger, migrations.RunPython.noop),
    ]
