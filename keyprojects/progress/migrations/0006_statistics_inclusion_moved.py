"""Statistics inclusion now belongs to the inclusion app (inclusion/0001 takes the table as it is):
this app forgets the model without touching the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0005_merge_0004_city_key_0004_report_event_figures"),
        ("inclusion", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StatisticsInclusion")],
            database_operations=[],
        ),
    ]
