"""Each city's dictionary of categories, industries, funding sources and construction natures: the built-in
codes seeded for every city, and each city's industries (free text until now) turned into its entries, the
projects keeping them by code."""

import django.db.models.deletion
from django.db import migrations, models


BUILT_IN = {
    "category": [
        ("industry", "产业"), ("infrastructure", "基础设施"), ("social", "社会民生"),
        ("urbanization", "新型城镇化"), ("ecology", "生态环保"),
    ],
    "funding_source": [
        ("central_budget", "中央预算内"), ("special_bonds", "地方专项债"), ("local_budget", "地方财政"),
        ("self_raised", "企业自筹"), ("bank_loan", "银行贷款"), ("other", "其他"),
    ],
    "nature": [("new", "新建"), ("expansion", "扩建"), ("renovation", "改建"), ("continuation", "续建")],
}  # fmt: skip


def seed(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Entry = apps.get_model("projects", "DictionaryEntry")
    Project = apps.get_model("projects", "Project")
    for city_id in Region.objects.filter(kind="city").values_list("pk", flat=True):
        entries = [
            Entry(city_id=city_id, kind=kind, code=code, label=label, position=(i + 1) * 10)
            for kind, items in BUILT_IN.items()
            for i, (code, label) in enumerate(items)
        ]
        projects = Project.objects.filter(city_id=city_id).exclude(industry="")
        industries = sorted(set(projects.values_list("industry", flat=True)))
        for i, label in enumerate(industries, start=1):
            entries.append(
                Entry(city_id=city_id, kind="industry", code=f"ind{i}", label=label, position=i * 10)
            )
        Entry.objects.bulk_create(entries)
        for i, label in enumerate(industries, start=1):
            projects.filter(industry=label).update(industry=f"ind{i}")


def unseed(apps, schema_editor):
    Entry = apps.get_model("projects", "DictionaryEntry")
    Project = apps.get_model("projects", "Project")
    for entry in Entry.objects.filter(kind="industry"):
        Project.objects.filter(city_id=entry.city_id, industry=entry.code).update(industry=entry.label)
    Entry.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_administrator_roles"),
        ("projects", "0013_full_width_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="DictionaryEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("category", "项目类别"),
                            ("industry", "所属行业"),
                            ("funding_source", "资金来源"),
                            ("nature", "建设性质"),
                        ],
                        max_length=16,
                        verbose_name="字典类别",
                    ),
                ),
                ("code", models.CharField(max_length=32, verbose_name="代码")),
                ("label", models.CharField(max_length=64, verbose_name="名称")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                (
                    "active",
                    models.BooleanField(
                        default=True, help_text="停用后新项目不能再选，已有项目照常显示", verbose_name="启用"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="版本")),
                (
                    "city",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.region",
                        verbose_name="所属城市",
                    ),
                ),
            ],
            options={
                "verbose_name": "字典项",
                "verbose_name_plural": "字典项",
                "ordering": ["kind", "position", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("city", "kind", "code"), name="dictionary_code_per_city"),
                    models.UniqueConstraint(
                        fields=("city", "kind", "label"), name="dictionary_label_per_city"
                    ),
                ],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
