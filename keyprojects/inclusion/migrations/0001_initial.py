"""Statistics inclusion moves from the progress app into its own: the table stays where it is
(`progress_statisticsinclusion`), only Django's idea of which app owns it changes, and the content type
follows so that permissions and admin history keep pointing at it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="progress", new="inclusion"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="statisticsinclusion").exists():
        ContentType.objects.filter(app_label=old, model="statisticsinclusion").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="inclusion", new="progress")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_rolegrant_province_role"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("progress", "0005_merge_0004_city_key_0004_report_event_figures"),
        ("projects", "0006_merge_0005_city_key_0005_typed_event_values"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StatisticsInclusion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("included_on", models.DateField(blank=True, null=True, verbose_name="入库纳统日期")),
                        ("statistics_code", models.CharField(blank=True, max_length=64, verbose_name="统计库项目编码")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("city", models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.region", verbose_name="所属城市")),
                        ("project", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="statistics", to="projects.project")),
                        ("recorded_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "入库纳统",
                        "verbose_name_plural": "入库纳统",
                        "db_table": "progress_statisticsinclusion",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
