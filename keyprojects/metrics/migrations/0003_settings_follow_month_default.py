from django.db import migrations


def follow_new_default(apps, schema_editor):
    """Settings nobody has edited yet (version 1) were made with the old default; they take the new one."""
    MetricsSettings = apps.get_model("metrics", "MetricsSettings")
    MetricsSettings.objects.filter(version=1, time_basis="day").update(time_basis="month")


class Migration(migrations.Migration):
    dependencies = [("metrics", "0002_monthly_plan")]

    operations = [migrations.RunPython(follow_new_default, migrations.RunPython.noop)]
