"""A project's history keeps typed values and is written out when read: choice labels and amounts in
the reader's language, a region by its current name (its stored name once the row is gone)."""

from decimal import Decimal

import pytest

from keyprojects.accounts.models import Region
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.accounts.tests.factories import RegionFactory
from keyprojects.projects.models import Level, Project
from keyprojects.projects.services import project_update
from keyprojects.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def edit(user, project, **data):
    return project_update(
        user=user, project_id=project.pk, data=data, version=Project.objects.get(pk=project.pk).version
    )


def history(user, project, language="zh-hans"):
    rows = ApiClient(user, language=language).get(f"/projects/{project.pk}/history").json()["items"]
    return {row["field"]: row for row in reversed(rows)}  # the latest change of each field


def test_history_values_are_typed_and_read_in_the_readers_language(city):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise, level=Level.MUNICIPAL)
    edit(
        city.city_admin,
        project,
        level=Level.PROVINCIAL,
        annual_investment=Decimal("12500.5"),
        funding_sources=["self_raised", "bank_loan"],
        region=city.gaotang,
    )
    chinese = history(city.city_admin, project)
    assert (chinese["level"]["old_value"], chinese["level"]["new_value"]) == ("市重点", "省重点")
    assert chinese["level"]["new"] == {"t": "choice", "v": "provincial"}
    assert chinese["annual_investment"]["new_value"] == "12,500.50"
    assert chinese["annual_investment"]["new"] == {"t": "decimal", "v": "12500.5"}
    assert chinese["funding_sources"]["new_value"] == "企业自筹、银行贷款"
    assert (chinese["region"]["old_value"], chinese["region"]["new_value"]) == ("冠县", "高唐县")
    assert chinese["region"]["new"]["v"] == city.gaotang.pk

    english = history(city.city_admin, project, "en")
    assert (english["level"]["field_label"], english["level"]["new_value"]) == (
        "Level",
        "Provincial key project",
    )
    assert english["funding_sources"]["new_value"] == "Self-raised by the enterprise, Bank loan"

    Region.objects.filter(pk=city.gaotang.pk).update(name="高唐县（新）")
    assert history(city.city_admin, project)["region"]["new_value"] == "高唐县（新）"


def test_a_region_gone_since_reads_by_its_stored_name(client, city):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    passing = RegionFactory(code="371599", name="已撤销县", parent=city.liaocheng)
    edit(city.city_admin, project, region=passing)
    edit(city.city_admin, project, region=city.guanxian)
    passing.delete()
    rows = history(city.city_admin, project)
    assert rows["region"]["old_value"] == "已撤销县"
    client.force_login(city.city_admin)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "已撤销县" in page
