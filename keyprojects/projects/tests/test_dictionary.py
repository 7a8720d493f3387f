"""Each city's dictionary of categories, industries, funding sources and construction natures: projects keep
codes; the city names, orders, deactivates and adds its own entries, and every page, export and API reads it."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.models import SettingsEvent
from keyprojects.projects.dictionary import dictionary_entry_create, dictionary_entry_update
from keyprojects.projects.models import DictionaryEntry, Project

from .factories import ProjectFactory

pytestmark = pytest.mark.today("2026-05-12")


def _entry(city_region, kind, code):
    return DictionaryEntry.objects.get(city=city_region, kind=kind, code=code)


def _office(user):
    client = Client()
    client.force_login(user)
    return client


def _new_project(**fields):
    return {"name": "新项目", "region": "371525", "total_investment": "1000", "year": 2026, **fields}


def test_every_city_starts_with_the_built_in_codes_and_sees_only_its_own_entries(city, other_city):
    for region in (city.liaocheng, other_city.dezhou):
        assert set(
            DictionaryEntry.objects.filter(city=region, kind="category").values_list("code", flat=True)
        ) == {"industry", "infrastructure", "social", "urbanization", "ecology"}
    dictionary_entry_create(user=city.city_admin, kind="industry", label="高端化工", code="chem")

    mine = ApiClient(city.county).get("/dictionary?kind=industry").json()
    assert mine == [
        {
            "kind": "industry",
            "code": "chem",
            "label": "高端化工",
            "position": 10,
            "active": True,
            "built_in": False,
        }
    ]
    assert ApiClient(other_city.county).get("/dictionary?kind=industry").json() == []
    assert "高端化工" not in _office(other_city.city_admin).get("/projects/dictionary/?kind=industry").text
    assert "高端化工" not in _office(other_city.city_admin).get("/projects/new/").text
    # another city's code is not one of Dezhou's: refused, naming the field
    response = ApiClient(other_city.city_admin).post(
        "/projects", _new_project(region="371425", industry="chem")
    )
    assert response.status_code == 422
    assert response.json()["errors"]["industry"] == ["所属行业“chem”不在本市字典中"]


def test_a_relabel_shows_on_the_pages_the_export_and_the_api_and_the_code_stays(city):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise, category="infrastructure")
    entry = _entry(city.liaocheng, "category", "infrastructure")
    office = _office(city.city_admin)
    response = office.post(
        f"/projects/dictionary/{entry.pk}/",
        {"kind": "category", "version": entry.version, "label": "交通基础设施"},
    )
    assert response.status_code == 302
    assert "交通基础设施" in office.get("/projects/").text
    assert "交通基础设施" in office.get(f"/projects/{project.pk}/").text
    sheet = load_workbook(io.BytesIO(office.get("/sheets/export/projects.xlsx").content)).active
    assert "交通基础设施" in [cell.value for row in sheet.iter_rows() for cell in row]
    api = ApiClient(city.county)
    answer = api.get(f"/projects/{project.pk}").json()
    assert (answer["category"], answer["category_label"]) == ("infrastructure", "交通基础设施")
    listed = api.get("/projects").json()["items"][0]
    assert (listed["category"], listed["category_label"]) == ("infrastructure", "交通基础设施")
    assert Project.objects.get(pk=project.pk).category == "infrastructure"
    history = office.get("/projects/dictionary/?kind=category").text
    assert "名称（交通基础设施）" in history and "基础设施" in history


def test_a_deactivated_entry_is_not_offered_to_new_projects_but_old_ones_keep_it(city):
    project = ProjectFactory(
        region=city.guanxian, owner=city.enterprise, funding_sources=["self_raised", "bank_loan"]
    )
    loan = _entry(city.liaocheng, "funding_source", "bank_loan")
    dictionary_entry_update(user=city.city_admin, entry_id=loan.pk, version=loan.version, active=False)
    office = _office(city.city_admin)
    assert 'value="bank_loan"' not in office.get("/projects/new/").text
    assert 'value="bank_loan"' in office.get(f"/projects/{project.pk}/edit/").text
    assert "银行贷款" in office.get(f"/projects/{project.pk}/").text

    api = ApiClient(city.city_admin)
    kept = api.patch(
        f"/projects/{project.pk}", {"name": "改名的项目"}, **{"If-Match": f'"{project.version}"'}
    )
    assert kept.status_code == 200 and kept.json()["funding_source_labels"] == ["企业自筹", "银行贷款"]
    refused = api.post("/projects", _new_project(funding_sources=["bank_loan"]))
    assert refused.status_code == 422
    assert refused.json()["errors"]["funding_sources"] == ["资金来源“银行贷款”已停用，不能再选"]


def test_an_entry_in_use_or_built_in_is_not_deleted(city):
    used = dictionary_entry_create(user=city.city_admin, kind="industry", label="高端化工")
    unused = dictionary_entry_create(user=city.city_admin, kind="industry", label="纺织服装")
    ProjectFactory(region=city.guanxian, owner=city.enterprise, industry=used.code)
    office = _office(city.city_admin)
    page = office.post(f"/projects/dictionary/{used.pk}/delete/", {"kind": "industry"}, follow=True).text
    assert "“高端化工”已有项目使用，不能删除，可以停用" in page
    built_in = _entry(city.liaocheng, "nature", "new")
    page = office.post(f"/projects/dictionary/{built_in.pk}/delete/", {"kind": "nature"}, follow=True).text
    assert "“新建”是内置字典项，不能删除，可以停用" in page
    office.post(f"/projects/dictionary/{unused.pk}/delete/", {"kind": "industry"})
    assert set(
        DictionaryEntry.objects.filter(pk__in=[used.pk, unused.pk, built_in.pk]).values_list("pk", flat=True)
    ) == {
        used.pk,
        built_in.pk,
    }


def test_a_funding_source_in_use_is_not_deleted(city):
    used = dictionary_entry_create(user=city.city_admin, kind="funding_source", label="专项债券")
    unused = dictionary_entry_create(user=city.city_admin, kind="funding_source", label="政策性基金")
    ProjectFactory(region=city.guanxian, owner=city.enterprise, funding_sources=["self_raised", used.code])
    office = _office(city.city_admin)
    page = office.post(
        f"/projects/dictionary/{used.pk}/delete/", {"kind": "funding_source"}, follow=True
    ).text
    assert "“专项债券”已有项目使用，不能删除，可以停用" in page
    office.post(f"/projects/dictionary/{unused.pk}/delete/", {"kind": "funding_source"})
    assert list(DictionaryEntry.objects.filter(pk__in=[used.pk, unused.pk]).values_list("pk", flat=True)) == [
        used.pk
    ]


def test_the_office_adds_renames_and_reorders_with_chinese_errors_and_history(city):
    office = _office(city.city_admin)
    office.post("/projects/dictionary/?kind=industry", {"label": "高端化工", "code": "chem"})
    office.post("/projects/dictionary/?kind=industry", {"label": "新能源", "code": ""})
    assert list(
        DictionaryEntry.objects.filter(city=city.liaocheng, kind="industry").values_list("code", "label")
    ) == [("chem", "高端化工"), ("ind2", "新能源")]
    page = office.post("/projects/dictionary/?kind=industry", {"label": "高端化工", "code": "x y"}).text
    assert "名称“高端化工”已在使用" in page and "代码只能由字母、数字、下划线、连字符或点组成" in page
    energy = _entry(city.liaocheng, "industry", "ind2")
    office.post(f"/projects/dictionary/{energy.pk}/move/", {"kind": "industry", "up": "1"})
    assert list(
        DictionaryEntry.objects.filter(city=city.liaocheng, kind="industry").values_list("code", flat=True)
    ) == ["ind2", "chem"]
    stale = office.post(
        f"/projects/dictionary/{energy.pk}/",
        {"kind": "industry", "version": 1, "label": "新能源汽车"},
        follow=True,
    )
    assert "已被他人修改" in stale.text
    assert SettingsEvent.objects.filter(record="projects.dictionaryentry", object_id=energy.pk).count() == 3


def test_only_the_city_office_manages_its_dictionary(city):
    assert _office(city.county).get("/projects/dictionary/").status_code == 403
    assert _office(city.province_officer).get("/projects/dictionary/").status_code == 403
    assert "项目字典" in _office(city.city_admin).get("/projects/").text
    assert "项目字典" not in _office(city.county).get("/projects/").text
