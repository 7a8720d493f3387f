"""Project history values become typed (keyprojects.core.history): the text of every stored event
is converted by `legacy_history.project_event_value`, then the text columns go."""

from django.db import migrations, models

from keyprojects.projects.legacy_history import project_event_value

BATCH = 1000


def to_typed(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    ProjectEvent = apps.get_model("projects", "ProjectEvent")
    events = ProjectEvent.objects.exclude(old_value="", new_value="").only("field", "old_value", "new_value")
    batch = []
    for event in events.iterator(chunk_size=BATCH):
        event.old = project_event_value(Project, event.field, event.old_value)
        event.new = project_event_value(Project, event.field, event.new_value)
        batch.append(event)
        if len(batch) >= BATCH:
            ProjectEvent.objects.bulk_update(batch, ["old", "new"])
            batch = []
    ProjectEvent.objects.bulk_update(batch, ["old", "new"])


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0004_event_created_at_index"),
        ("accounts", "0001_initial"),
        ("chains", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectevent",
            name="old",
            field=models.JSONField(blank=True, help_text="typed value (keyprojects.core.history)", null=True),
        ),
        migrations.AddField(
            model_name="projectevent",
            name="new",
            field=models.JSONField(blank=True, help_text="typed value (keyprojects.core.history)", null=True),
        ),
        migrations.RunPython(to_typed, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="projectevent", name="old_value"),
        migrations.RemoveField(model_name="projectevent", name="new_value"),
    ]
