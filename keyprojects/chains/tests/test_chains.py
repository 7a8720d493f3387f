"""Projects sliced by industrial chain: on the list page, in the API and in the demo city."""

from decimal import Decimal

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.chains.models import IndustrialChain
from keyprojects.projects.tests.factories import ProjectFactory


@pytest.fixture
def chains(city):
    chemicals = IndustrialChain.objects.create(
        city=city.liaocheng, code="chemicals", name="高端化工", sort_order=1
    )
    food = IndustrialChain.objects.create(city=city.liaocheng, code="food", name="绿色食品", sort_order=2)
    on_chemicals = ProjectFactory(name="化工延链项目", region=city.guanxian, chain=chemicals)
    on_food = ProjectFactory(name="调味料产业链项目", region=city.guanxian, chain=food)
    return chemicals, food, on_chemicals, on_food


def test_api_lists_chains_and_filters_projects_by_chain(chains, city):
    _, _, on_chemicals, _ = chains
    api = ApiClient(city.city_admin)
    assert [c["code"] for c in api.get("/chains").json()] == ["chemicals", "food"]
    body = api.get("/projects", {"chain": "chemicals"}).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == on_chemicals.pk and body["items"][0]["chain"] == "chemicals"


def test_list_page_filters_by_chain(chains, client, city):
    client.force_login(city.county)
    page = client.get("/projects/", {"chain": "food"}).content.decode()
    assert "调味料产业链项目" in page and "化工延链项目" not in page


def test_api_sets_a_chain_by_code_and_refuses_an_unknown_one(chains, city):
    api = ApiClient(city.county)
    data = {"name": "新项目", "region": "371525", "total_investment": "1000", "year": 2026}
    created = api.post("/projects", {**data, "chain": "food"})
    assert created.status_code == 201 and created.json()["chain"] == "food"
    refused = api.post("/projects", {**data, "chain": "steel"})
    assert refused.status_code == 422 and "chain" in refused.json()["errors"]


def test_chain_slice_is_scoped_like_the_list(chains, city):
    ProjectFactory(region=city.gaotang, chain=chains[0], total_investment=Decimal(9000))
    assert ApiClient(city.county).get("/projects", {"chain": "chemicals"}).json()["count"] == 1
    assert ApiClient(city.city_admin).get("/projects", {"chain": "chemicals"}).json()["count"] == 2
