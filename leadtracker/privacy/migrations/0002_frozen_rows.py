"""The database itself refuses to change a published notice or any acceptance, so that no code
path — a queryset .update(), a shell, a later migration — can rewrite what members accepted.
Deleting stays possible: an organisation that is deleted takes its notices with it."""

from django.db import migrations

NOTICE = "privacy_privacynotice"
ACCEPTANCE = "privacy_noticeacceptance"

SQLITE = [
    (
        f"CREATE TRIGGER privacy_notice_frozen BEFORE UPDATE ON {NOTICE} "
        "WHEN OLD.published_at IS NOT NULL BEGIN "
        "SELECT RAISE(ABORT, 'privacy notice is published and cannot change'); END",
        "DROP TRIGGER IF EXISTS privacy_notice_frozen",
    ),
    (
        f"CREATE TRIGGER privacy_acceptance_append_only BEFORE UPDATE ON {ACCEPTANCE} BEGIN "
        "SELECT RAISE(ABORT, 'privacy notice acceptances are append-only'); END",
        "DROP TRIGGER IF EXISTS privacy_acceptance_append_only",
    ),
]

POSTGRES = [
    (
        "CREATE FUNCTION privacy_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% rows cannot change (published notice or acceptance)', TG_TABLE_NAME "
        "USING ERRCODE = 'integrity_constraint_violation'; END $$",
        "DROP FUNCTION IF EXISTS privacy_refuse_update()",
    ),
    (
        f"CREATE TRIGGER privacy_notice_frozen BEFORE UPDATE ON {NOTICE} FOR EACH ROW "
        "WHEN (OLD.published_at IS NOT NULL) EXECUTE FUNCTION privacy_refuse_update()",
        f"DROP TRIGGER IF EXISTS privacy_notice_frozen ON {NOTICE}",
    ),
    (
        f"CREATE TRIGGER privacy_acceptance_append_only BEFORE UPDATE ON {ACCEPTANCE} FOR EACH ROW "
        "EXECUTE FUNCTION privacy_refuse_update()",
        f"DROP TRIGGER IF EXISTS privacy_acceptance_append_only ON {ACCEPTANCE}",
    ),
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for create, _drop in statements:
        schema_editor.execute(create, params=None)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for _create, drop in reversed(statements):
        schema_editor.execute(drop, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
