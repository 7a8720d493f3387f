from django.db import migrations

from keyprojects.audit import triggers


def reinstall(apps, schema_editor):
    triggers.remove(schema_editor.connection)
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(reinstall, reinstall)]
