"""A rule's agents move from Django's automatic many-to-many table (leads_assignmentrule_agents:
rule and user only) to an explicit one that carries the organisation (leads_assignmentruleagent),
so the table can be distributed by organisation with the rule it belongs to (docs/scaling.md).

Django cannot alter a many-to-many field to gain a ``through`` model, so the steps are spelled
out: create the new table, copy every row with its rule's organisation, drop the old table with
the old field, and declare the field again through the new model (no database change). Each step
is plain DDL or ORM on both SQLite and PostgreSQL, and each runs backwards too: the rows are
copied back into a recreated automatic table.

Rows keep their order (copied by the old table's id), although nothing depends on it: the
round-robin orders a rule's agents by user id.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def _copy(rows, model, using):
    model.objects.using(using).bulk_create((model(**row) for row in rows), batch_size=BATCH)


def to_through_model(apps, schema_editor):
    using = schema_editor.connection.alias
    automatic = apps.get_model("leads", "AssignmentRule").agents.through
    rows = (
        automatic.objects.using(using)
        .order_by("pk")
        .values(
            "user_id",
            rule_id=models.F("assignmentrule_id"),
            organisation_id=models.F("assignmentrule__organisation_id"),
        )
    )
    _copy(list(rows), apps.get_model("leads", "AssignmentRuleAgent"), using)


def to_automatic_table(apps, schema_editor):
    using = schema_editor.connection.alias
    explicit = apps.get_model("leads", "AssignmentRuleAgent")
    rows = (
        explicit.objects.using(using).order_by("pk").values("user_id", assignmentrule_id=models.F("rule_id"))
    )
    _copy(list(rows), apps.get_model("leads", "AssignmentRule").agents.through, using)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("leads", "0007_consent_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AssignmentRuleAgent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "rule",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="leads.assignmentrule",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "rule", "user"), name="assignment_rule_agent_once"
                    )
                ],
            },
        ),
        migrations.RunPython(to_through_model, to_automatic_table),
        migrations.RemoveField(model_name="assignmentrule", name="agents"),
        migrations.AddField(
            model_name="assignmentrule",
            name="agents",
            field=models.ManyToManyField(
                related_name="+", through="leads.AssignmentRuleAgent", to=settings.AUTH_USER_MODEL
            ),
        ),
    ]
