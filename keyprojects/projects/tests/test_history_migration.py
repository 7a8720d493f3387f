"""The data migration that types the history: events written the old way (display text) come out
typed, related rows resolved by their name where one still matches, text kept where none does."""

import pytest

from keyprojects.accounts.tests.historical import OldWorld

PROJECTS_BEFORE = ("projects", "0004_event_created_at_index")
PROJECTS_AFTER = ("projects", "0005_typed_event_values")
SCHEDULE_BEFORE = ("schedule", "0003_node_event_reason_settings_version")
SCHEDULE_AFTER = ("schedule", "0004_typed_event_values")


def _rows(old):
    world = OldWorld(old.apps)
    guan = world.county("371525", "冠县")
    gaotang = world.county("371526", "高唐县")
    world.county("371599", "重名区")
    world.county("371598", "重名区")
    office = world.create("accounts.Organization", name="市自然资源和规划局", kind="department", region=guan)
    chain = world.create("chains.IndustrialChain", code="chem", name="高端化工")
    project = world.create("projects.Project", name="示例项目", region=gaotang, total_investment=1, year=2026)
    return guan, gaotang, office, chain, project


@pytest.mark.django_db(transaction=True)
def test_project_text_history_becomes_typed(migrator):
    old = migrator.apply_initial_migration([PROJECTS_BEFORE])
    ProjectEvent = old.apps.get_model("projects", "ProjectEvent")
    guan, gaotang, _office, chain, project = _rows(old)
    old_text = {
        "region": ("冠县", "高唐县"),
        "chain": ("", "高端化工"),
        "annual_investment": ("5000", "12000.50"),
        "planned_start": ("2026-03-01", ""),
        "year": ("2025", "2026"),
        "level": ("municipal", "provincial"),
        "funding_sources": ("self_raised,bank_loan", "self_raised"),
        "statistics": ("入库纳统 2026-03-01，统计库编码 ST-9", "Not included in statistics"),
        "monthly_plan": ("2026: 1月500,2月1500", "2026: month 1: 800"),
        "stage_reason": ("已不存在的区", "重名区"),
    }
    for field, (before, after) in old_text.items():
        ProjectEvent.objects.create(
            project=project, kind="updated", field=field, old_value=before, new_value=after
        )
    ProjectEvent.objects.create(
        project=project, kind="updated", field="region", old_value="撤销的县", new_value="重名区"
    )

    new = migrator.apply_tested_migration([PROJECTS_AFTER])
    events = new.apps.get_model("projects", "ProjectEvent").objects.order_by("id")
    typed = {e.field: (e.old, e.new) for e in events if e.old != {"t": "text", "v": "撤销的县"}}
    region = lambda r: {"t": "ref", "m": "accounts.region", "v": r.pk, "name": r.name, "code": r.code}  # noqa: E731
    assert typed["region"] == (region(guan), region(gaotang))
    assert typed["chain"] == (
        None,
        {"t": "ref", "m": "chains.industrialchain", "v": chain.pk, "name": "高端化工", "code": "chem"},
    )
    assert typed["annual_investment"] == ({"t": "decimal", "v": "5000"}, {"t": "decimal", "v": "12000.50"})
    assert typed["planned_start"] == ({"t": "date", "v": "2026-03-01"}, None)
    assert typed["year"] == ({"t": "int", "v": 2025}, {"t": "int", "v": 2026})
    assert typed["level"] == ({"t": "choice", "v": "municipal"}, {"t": "choice", "v": "provincial"})
    assert typed["funding_sources"][0] == {
        "t": "list",
        "v": [{"t": "choice", "v": "self_raised"}, {"t": "choice", "v": "bank_loan"}],
    }
    assert typed["statistics"] == (
        {
            "t": "map",
            "v": {
                "included_on": {"t": "date", "v": "2026-03-01"},
                "statistics_code": {"t": "text", "v": "ST-9"},
            },
        },
        None,
    )
    assert typed["monthly_plan"][1] == {
        "t": "map",
        "v": {
            "year": {"t": "int", "v": 2026},
            "plan": {"t": "map", "v": {"1": {"t": "decimal", "v": "800"}}},
        },
    }
    assert typed["stage_reason"] == ({"t": "text", "v": "已不存在的区"}, {"t": "text", "v": "重名区"})
    gone = [e for e in events if e.old == {"t": "text", "v": "撤销的县"}]
    assert gone and gone[0].new == {"t": "text", "v": "重名区"}  # no row, or two rows: the text is kept


@pytest.mark.django_db(transaction=True)
def test_plan_text_history_becomes_typed(migrator):
    old = migrator.apply_initial_migration([SCHEDULE_BEFORE])
    NodeTemplate = old.apps.get_model("schedule", "NodeTemplate")
    PlanNode = old.apps.get_model("schedule", "PlanNode")
    NodeEvent = old.apps.get_model("schedule", "NodeEvent")
    _guan, _gaotang, office, _chain, project = _rows(old)
    template = NodeTemplate.objects.create(name="审批类产业项目", approval_type="approval", kind="industrial")
    node = PlanNode.objects.create(
        project=project, order=1, code="start", name="开工", planned_date="2026-03-01"
    )
    NodeEvent.objects.create(project=project, kind="plan_created", new_value="审批类产业项目")
    NodeEvent.objects.create(
        project=project,
        node=node,
        kind="updated",
        field="planned_date",
        old_value="2026-03-01",
        new_value="2026-04-01",
    )
    NodeEvent.objects.create(
        project=project,
        node=node,
        kind="updated",
        field="department",
        old_value="",
        new_value="市自然资源和规划局",
    )

    new = migrator.apply_tested_migration([SCHEDULE_AFTER])
    node_events = list(new.apps.get_model("schedule", "NodeEvent").objects.order_by("id"))
    assert [(e.old, e.new) for e in node_events] == [
        (None, {"t": "ref", "m": "schedule.nodetemplate", "v": template.pk, "name": "审批类产业项目"}),
        ({"t": "date", "v": "2026-03-01"}, {"t": "date", "v": "2026-04-01"}),
        (None, {"t": "ref", "m": "accounts.organization", "v": office.pk, "name": "市自然资源和规划局"}),
    ]
