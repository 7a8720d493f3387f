"""A warning keeps its figures (typed, keyprojects.core.history) instead of its message text; the
message is written when read. Stored warnings keep their text until the next refresh."""

from django.db import migrations, models


def text_to_facts(apps, schema_editor):
    ProjectWarning = apps.get_model("alerts", "ProjectWarning")
    for warning in ProjectWarning.objects.only("message").iterator(chunk_size=1000):
        warning.facts = {"t": "text", "v": warning.message}
        warning.save(update_fields=["facts"])


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0002_rules_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectwarning",
            name="facts",
            field=models.JSONField(
                default=dict,
                help_text="规则算出的数字和日期(带类型),预警原因据此按读者语言生成",
                verbose_name="预警依据",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(text_to_facts, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="projectwarning", name="message"),
    ]
