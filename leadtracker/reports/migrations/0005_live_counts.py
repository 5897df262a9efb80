# The dashboard's two live tiles for a whole organisation, from counts the database keeps:
# leads by the UTC day their next follow-up is due (reports.FollowUpDueCount, triggers on
# leads_lead) and open call-backs by assignee (reports.OpenCallBackCount, triggers on
# calls_callback). Like 0002 and 0004, every way a row is written keeps them (actions, bulk
# update(), COPY, cascades, raw SQL). The SQL is frozen here; the rows already there are
# counted once.

import django.db.models.deletion
from django.db import migrations, models

DUE = "reports_followupduecount"
DUE_KEY = "organisation_id, day"
OPEN = "reports_opencallbackcount"
OPEN_KEY = "organisation_id, assignee_id"

# PostgreSQL: the key of each row counted, and which rows count.
PG_DUE = "organisation_id AS o, (next_follow_up_at AT TIME ZONE 'UTC')::date AS k"
PG_DUE_WHERE = "next_follow_up_at IS NOT NULL"
PG_OPEN = "organisation_id AS o, COALESCE(assignee_id, 0) AS k"
PG_OPEN_WHERE = "closed_at IS NULL"


def _postgresql(name, source, table, key, row, where):
    """Statement-level triggers with transition tables, as 0004: one grouped upsert a statement
    (an import's 100,000 leads, a batch's call-backs); an update moves only the rows whose key
    or whether they count changed (the rest cancel out), keys in order so writers lock alike."""
    function = f"reports_{name}_change"
    return [
        f"""
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO {table} ({key}, n)
            SELECT o, k, count(*) FROM (SELECT {row} FROM new_rows WHERE {where}) AS r
              GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n;
          ELSIF TG_OP = 'UPDATE' THEN
            INSERT INTO {table} ({key}, n)
            SELECT o, k, sum(d) FROM (
                SELECT {row}, -1 AS d FROM old_rows WHERE {where}
                UNION ALL
                SELECT {row}, 1 FROM new_rows WHERE {where}
              ) AS moves
              GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
            ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n;
          ELSE
            UPDATE {table} AS c SET n = c.n - gone.n
              FROM (SELECT o, k, count(*) AS n FROM (SELECT {row} FROM old_rows WHERE {where}) AS r
                     GROUP BY 1, 2) AS gone
             WHERE (c.{key.replace(", ", ", c.")}) = (gone.o, gone.k);
          END IF;
          RETURN NULL;
        END $$
        """,
        f"""CREATE TRIGGER {function}_insert AFTER INSERT ON {source}
           REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {function}_update AFTER UPDATE ON {source}
           REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
           FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {function}_delete AFTER DELETE ON {source}
           REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
    ]


def _sqlite(name, source, table, key, value, where, columns):
    """Row-level triggers; ``value`` is the key's second part of a row called NEW or OLD (a
    datetime is stored as UTC text, so date() is its UTC day)."""
    add = (
        f"INSERT INTO {table} ({key}, n) SELECT NEW.organisation_id, {value.format(r='NEW')}, 1 "
        f"WHERE {where.format(r='NEW')} ON CONFLICT ({key}) DO UPDATE SET n = n + 1;"
    )
    remove = (
        f"UPDATE {table} SET n = n - 1 WHERE organisation_id = OLD.organisation_id "
        f"AND {key.split(', ')[1]} = {value.format(r='OLD')} AND {where.format(r='OLD')};"
    )
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    trigger = f"reports_{name}_change"
    return [
        f"CREATE TRIGGER {trigger}_insert AFTER INSERT ON {source} BEGIN {add} END",
        f"""CREATE TRIGGER {trigger}_update AFTER UPDATE OF {", ".join(columns)} ON {source}
            WHEN {changed} BEGIN {remove} {add} END""",
        f"CREATE TRIGGER {trigger}_delete AFTER DELETE ON {source} BEGIN {remove} END",
    ]


def statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            *_postgresql("follow_up_due", "leads_lead", DUE, DUE_KEY, PG_DUE, PG_DUE_WHERE),
            *_postgresql("open_call_back", "calls_callback", OPEN, OPEN_KEY, PG_OPEN, PG_OPEN_WHERE),
            f"INSERT INTO {DUE} ({DUE_KEY}, n) SELECT o, k, count(*) FROM "  # noqa: S608 — names above
            f"(SELECT {PG_DUE} FROM leads_lead WHERE {PG_DUE_WHERE}) AS r GROUP BY 1, 2",
            f"INSERT INTO {OPEN} ({OPEN_KEY}, n) SELECT o, k, count(*) FROM "  # noqa: S608 — names above
            f"(SELECT {PG_OPEN} FROM calls_callback WHERE {PG_OPEN_WHERE}) AS r GROUP BY 1, 2",
        ]
    return [
        *_sqlite(
            "follow_up_due",
            "leads_lead",
            DUE,
            DUE_KEY,
            "date({r}.next_follow_up_at)",
            "{r}.next_follow_up_at IS NOT NULL",
            ("organisation_id", "next_follow_up_at"),
        ),
        *_sqlite(
            "open_call_back",
            "calls_callback",
            OPEN,
            OPEN_KEY,
            "COALESCE({r}.assignee_id, 0)",
            "{r}.closed_at IS NULL",
            ("organisation_id", "assignee_id", "closed_at"),
        ),
        f"INSERT INTO {DUE} ({DUE_KEY}, n) SELECT organisation_id, date(next_follow_up_at), count(*) "  # noqa: S608
        "FROM leads_lead WHERE next_follow_up_at IS NOT NULL GROUP BY 1, 2",
        f"INSERT INTO {OPEN} ({OPEN_KEY}, n) SELECT organisation_id, COALESCE(assignee_id, 0), count(*) "  # noqa: S608
        "FROM calls_callback WHERE closed_at IS NULL GROUP BY 1, 2",
    ]


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for sql in statements(schema_editor.connection.vendor):
            cursor.execute(sql)


def uninstall(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        for name, source in (("follow_up_due", "leads_lead"), ("open_call_back", "calls_callback")):
            for op in ("insert", "update", "delete"):
                on = f" ON {source}" if postgresql else ""
                cursor.execute(f"DROP TRIGGER IF EXISTS reports_{name}_change_{op}{on}")
            if postgresql:
                cursor.execute(f"DROP FUNCTION IF EXISTS reports_{name}_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_language"),
        ("reports", "0004_created_counts"),
        # After every migration of leads_lead and calls_callback so far: SQLite drops a table's
        # triggers when a later migration rebuilds it (test_lead_counts checks they are there).
        ("leads", "0017_no_redundant_fk_indexes"),
        ("calls", "0009_cloud_telephony_calls"),
    ]

    operations = [
        migrations.CreateModel(
            name="FollowUpDueCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("n", models.BigIntegerField(default=0)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("organisation", "day"), name="follow_up_due_count_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="OpenCallBackCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("assignee_id", models.BigIntegerField()),
                ("n", models.BigIntegerField(default=0)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "assignee_id"), name="open_call_back_count_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
