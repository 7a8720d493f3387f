from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_rolegrant_province_role'),
        ('progress', '0009_review_queue_indexes'),
        ('projects', '0009_events_by_city'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='figureinforce',
            name='figure_in_force_by_month',
        ),
        migrations.RemoveIndex(
            model_name='figureinforce',
            name='figure_in_force_by_project',
        ),
        migrations.AddIndex(
            model_name='figureinforce',
            index=models.Index(fields=['project', 'month', 'in_force_from', 'in_force_until', 'total'], name='figure_in_force_by_project'),
        ),
    ]
