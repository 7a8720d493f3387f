from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="warningrules",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="版本"),
        ),
    ]
