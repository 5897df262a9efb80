# Four single-column foreign-key indexes that are the first column of a composite index too:
# a lead's, a number's and a timeline row's organisation, and a timeline row's lead. Every
# look-up by them (the foreign keys' own cascades included) is served by the composite index,
# and every row written paid for one more index entry: an import writes ~3 rows a lead
# (docs/performance.md, the import's fourth step). Dropped by name, in SQL: a model-level
# AlterField would make SQLite copy the whole table (and drop its count triggers with it).

from django.db import migrations, models

DROPPED = [
    ("leads_lead", "leads_lead_organisation_id_7e4e8ac4", "organisation_id"),
    ("leads_leadphone", "leads_leadphone_organisation_id_086d94e6", "organisation_id"),
    ("leads_activity", "leads_activity_organisation_id_08aee5fe", "organisation_id"),
    ("leads_activity", "leads_activity_lead_id_9cc33a14", "lead_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0016_overdue_follow_ups_org_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
                )
                for table, index, column in DROPPED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="lead",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="leads",
                        to="accounts.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="leadphone",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="activity",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="activity",
                    name="lead",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="activities",
                        to="leads.lead",
                    ),
                ),
            ],
        ),
    ]
