"""A project's category, industry and nature hold codes of its city's dictionary: no fixed choices."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0014_dictionary")]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="category",
            field=models.CharField(default="industry", max_length=32, verbose_name="项目类别"),
        ),
        migrations.AlterField(
            model_name="project",
            name="industry",
            field=models.CharField(blank=True, max_length=32, verbose_name="所属行业"),
        ),
        migrations.AlterField(
            model_name="project",
            name="nature",
            field=models.CharField(default="new", max_length=32, verbose_name="建设性质"),
        ),
    ]
