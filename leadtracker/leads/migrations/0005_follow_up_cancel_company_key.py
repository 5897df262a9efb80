# Follow-ups can be cancelled (kept, with who and when); leads get a database-computed
# company key, indexed, for the duplicate finder's GROUP BY.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Lower, Replace

# Frozen here as it was when this migration was written (models.py may change it later
# with a migration of its own).
IGNORED = " \u00a0\t.,-_'\u2019\"&()/\\:;!?"


def company_key():
    expression = models.F("company")
    for character in IGNORED:
        expression = Replace(expression, models.Value(character), models.Value(""))
    return Lower(expression)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_organisation_call_settings"),
        ("leads", "0004_rule_only_on_shift"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="followup",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="activity",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("note", "Note"),
                    ("status", "Status changed"),
                    ("owner", "Owner changed"),
                    ("follow_up", "Follow-up planned"),
                    ("follow_up_done", "Follow-up done"),
                    ("follow_up_changed", "Follow-up changed"),
                    ("follow_up_cancelled", "Follow-up cancelled"),
                    ("merged", "Merged"),
                    ("updated", "Details changed"),
                    ("call", "Call"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="lead",
            name="company_key",
            field=models.GeneratedField(
                db_persist=True,
                expression=company_key(),
                output_field=models.CharField(max_length=200),
            ),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(
                condition=models.Q(("company_key", ""), _negated=True),
                fields=["organisation", "company_key", "id"],
                name="lead_company_key",
            ),
        ),
    ]
