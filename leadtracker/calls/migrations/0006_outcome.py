# Disposition becomes Outcome (issue 16 item 4: one word per thing). Renames, never a drop and a
# create: the table calls_disposition becomes calls_outcome and the column
# calls_call.disposition_id becomes outcome_id with every row and reference kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_job_leases"),
        ("calls", "0005_call_back_without_lead"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="disposition", name="disposition_name"),
        migrations.RenameModel(old_name="Disposition", new_name="Outcome"),
        migrations.AlterField(
            model_name="outcome",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="outcomes",
                to="accounts.organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="outcome",
            constraint=models.UniqueConstraint(fields=("organisation", "name"), name="outcome_name"),
        ),
        migrations.RenameField(model_name="call", old_name="disposition", new_name="outcome"),
    ]
