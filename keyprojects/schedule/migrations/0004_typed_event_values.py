"""Plan history values become typed (keyprojects.core.history): dates, departments resolved by name
to their id, the template a plan was made from; what cannot be read stays text."""

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations, models

from keyprojects.core.history import ref_by_name, typed_from_text

BATCH = 1000


def node_event_values(apps, field, old, new, kind):
    """The typed (old, new) of one stored plan event, read with the migration's models."""
    if kind == "plan_created":
        template = apps.get_model("schedule", "NodeTemplate")
        return None, (ref_by_name(template, new) or {"t": "text", "v": new}) if new else None
    try:
        model_field = apps.get_model("schedule", "PlanNode")._meta.get_field(field)
    except FieldDoesNotExist:
        model_field = None
    return typed_from_text(old, field=model_field), typed_from_text(new, field=model_field)


def to_typed(apps, schema_editor):
    NodeEvent = apps.get_model("schedule", "NodeEvent")
    batch = []
    for event in NodeEvent.objects.only("kind", "field", "old_value", "new_value").iterator(chunk_size=BATCH):
        event.old, event.new = node_event_values(apps, event.field, event.old_value, event.new_value, event.kind)
        batch.append(event)
        if len(batch) >= BATCH:
            NodeEvent.objects.bulk_update(batch, ["old", "new"])
            batch = []
    NodeEvent.objects.bulk_update(batch, ["old", "new"])


class Migration(migrations.Migration):

    dependencies = [
        ("schedule", "0003_node_event_reason_settings_version"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="nodeevent",
            name="old",
            field=models.JSONField(blank=True, help_text="typed value (keyprojects.core.history)", null=True),
        ),
        migrations.AddField(
            model_name="nodeevent",
            name="new",
            field=models.JSONField(blank=True, help_text="typed value (keyprojects.core.history)", null=True),
        ),
        migrations.RunPython(to_typed, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="nodeevent", name="old_value"),
        migrations.RemoveField(model_name="nodeevent", name="new_value"),
    ]
