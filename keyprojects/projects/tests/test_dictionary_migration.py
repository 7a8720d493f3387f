"""The migration that gives each city its dictionary: the built-in codes, and the industries its projects
named in free text turned into its entries, the projects keeping them by code."""

import pytest

from keyprojects.accounts.tests.historical import OldWorld

BEFORE = ("projects", "0013_full_width_labels")
AFTER = ("projects", "0015_dictionary_codes")


@pytest.mark.django_db(transaction=True)
def test_each_citys_industries_become_its_entries_and_its_projects_keep_them_by_code(migrator):
    old = migrator.apply_initial_migration([BEFORE])
    world = OldWorld(old.apps)
    guan = world.county("371525", "冠县")
    for name, industry in (("甲", "装备制造"), ("乙", "生物医药"), ("丙", "装备制造"), ("丁", "")):
        world.create(
            "projects.Project", name=name, region=guan, total_investment=1, year=2026, industry=industry
        )

    new = migrator.apply_tested_migration([AFTER])
    Entry = new.apps.get_model("projects", "DictionaryEntry")
    Project = new.apps.get_model("projects", "Project")
    mine = Entry.objects.filter(city_id=world.city.pk)
    assert list(mine.filter(kind="industry").order_by("position").values_list("code", "label")) == [
        ("ind1", "生物医药"),
        ("ind2", "装备制造"),
    ]
    assert mine.filter(kind="category").count() == 5 and mine.filter(kind="funding_source").count() == 6
    assert dict(Project.objects.values_list("name", "industry")) == {
        "甲": "ind2",
        "乙": "ind1",
        "丙": "ind2",
        "丁": "",
    }
