# The organisation's overdue follow-ups (the dashboard's live tile for an owner or admin) are a
# count of every lead whose follow-up is past. lead_next (organisation, next_follow_up_at, id)
# answers it index-only, but holds every lead, nulls included, and a distinct id in each entry,
# so equal times are never folded: 46 MB at 1,000,000 leads in the benchmark. Without the id
# and the leads that have no follow-up, PostgreSQL folds equal times (btree deduplication) and
# the same count reads 7 MB: 233 index pages instead of 1,092, 39 ms p50 instead of 60-85 at a
# load average of 12 (docs/performance.md). Written as SQL like 0015, for the same reasons.

from django.db import migrations

INDEX = "lead_follow_up_due"


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0015_overdue_follow_ups_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON leads_lead (organisation_id, next_follow_up_at) "
            "WHERE next_follow_up_at IS NOT NULL",
            f"DROP INDEX {INDEX}",
        ),
    ]
