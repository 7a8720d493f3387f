"""What people type finds the project: pinyin, words in any order, traditional characters, code
fragments, owner and location, the best matches first, on the list page and in the API alike."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from keyprojects.accounts.models import Organization
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.accounts.tests.factories import OrganizationFactory
from keyprojects.projects import search
from keyprojects.projects.models import Project, ProjectSearch
from keyprojects.projects.search import initials_pattern, query_words
from keyprojects.projects.selectors import project_search_q
from keyprojects.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.usefixtures("clock")

PORT = "冠州国际陆港"


@pytest.fixture
def projects(city):
    """The port, and others that share a word, a syllable or a place with it."""
    ProjectFactory(
        region=city.guanxian,
        owner=city.enterprise,
        name=PORT,
        code="2401-371525-04-01-528171",
        location="冠县烟庄街道",
        total_investment=1000,
    )
    ProjectFactory(
        region=city.gaotang,
        owner=city.other_enterprise,
        name="高唐国际物流港",
        code="2402-371526-04-01-100200",
        location="高唐县人和街道",
        total_investment=9000,
    )
    ProjectFactory(
        region=city.gaotang, owner=city.other_enterprise, name="陆港冷链仓储中心", total_investment=5000
    )
    ProjectFactory(region=city.guanxian, owner=city.enterprise, name=PHASE_2, total_investment=8000)


def page_names(client, q: str) -> list[str]:
    return [p.name for p in client.get(reverse("projects:list"), {"q": q}).context["page"].object_list]


def api_names(user, q: str) -> list[str]:
    response = ApiClient(user).get("/projects", {"q": q})
    assert response.status_code == 200
    return [item["name"] for item in response.json()["items"]]


PHASE_2 = "冠州国际陆港二期"
CASES = [  # equally good matches come in the list's order (the larger investment first)
    ("gzlg", [PHASE_2, PORT]),  # pinyin initials, words skipped
    ("gzgjlg", [PHASE_2, PORT]),  # every initial
    ("guanzhou", [PHASE_2, PORT]),  # full pinyin
    ("GuanZhou", [PHASE_2, PORT]),
    ("zhoug", [PHASE_2, PORT]),  # full pinyin across syllables
    ("lugang", ["陆港冷链仓储中心", PHASE_2, PORT]),  # a name that begins with it first
    ("冠州 陆港", [PHASE_2, PORT]),
    ("陆港 冠州", [PHASE_2, PORT]),
    ("冠州國際陸港", [PORT, PHASE_2]),  # traditional characters; the exact name first
    ("528171", [PORT]),  # the code's last six digits
    ("371525-04", [PORT]),  # a middle fragment
    ("04-01", ["高唐国际物流港", PORT]),
    ("2401-371525-04-01-528171", [PORT]),
    ("奥博生物", ["高唐国际物流港", "陆港冷链仓储中心"]),  # the owner
    ("烟庄", [PORT]),  # the location
    ("人和 国际", ["高唐国际物流港"]),
    ("港", ["高唐国际物流港", PHASE_2, "陆港冷链仓储中心", PORT]),
    ("冠州 物流", []),
    ("gzwl", []),
    ("gzgj", [PHASE_2, PORT]),
    ("zglg", [PHASE_2, PORT]),  # 州国…陆港: initials two by two, from anywhere in the name
    ("gzl", [PHASE_2, PORT]),  # an odd last letter anywhere after the pairs
    ("lggz", []),  # the pairs out of order
    ("ＧＺＬＧ", [PHASE_2, PORT]),  # full-width letters
]


@pytest.mark.parametrize(("q", "expected"), CASES)
def test_the_list_page_finds_what_people_type(client, city, projects, q, expected):
    client.force_login(city.city_admin)
    assert page_names(client, q) == expected


@pytest.mark.parametrize(("q", "expected"), CASES)
def test_the_api_finds_what_people_type(city, projects, q, expected):
    assert api_names(city.city_admin, q) == expected


def test_best_matches_come_first(client, city):
    """Exact name or code, then a name that begins with the query, then one holding it as typed, then
    one holding every word, then the rest (owner, location, initials) — each group by the list's order."""
    for name, investment in [
        ("智慧物流园项目", 1),
        ("冠县智慧物流园", 2),
        ("智慧物流园", 3),
        ("物流园智慧城", 4),
        ("智慧农业与物流园", 5),
        ("高唐港口", 6),
    ]:
        ProjectFactory(region=city.guanxian, owner=city.enterprise, name=name, total_investment=investment)
    owner = OrganizationFactory(
        name="智慧物流园运营公司", kind=Organization.Kind.ENTERPRISE, region=city.guanxian
    )
    ProjectFactory(region=city.guanxian, owner=owner, name="高唐港口二期", total_investment=7)
    client.force_login(city.county)
    assert page_names(client, "智慧物流园") == [
        "智慧物流园", "智慧物流园项目", "冠县智慧物流园", "高唐港口二期",
    ]  # fmt: skip
    assert page_names(client, "物流园 智慧") == [
        "物流园智慧城", "智慧农业与物流园", "智慧物流园", "冠县智慧物流园", "智慧物流园项目", "高唐港口二期",
    ]  # fmt: skip
    assert api_names(city.county, "物流园 智慧")[0] == "物流园智慧城"


def test_a_broad_query_grades_only_a_capped_set_of_what_it_finds(client, city, monkeypatch):
    """A query that finds more than `RANKED` projects grades the newest `RANKED` of them beyond the exact
    name (which is compared on every one): an older name that begins with the query ranks with the rest, in
    the list's order."""
    monkeypatch.setattr(search, "RANKED", 2)
    older = ProjectFactory(region=city.guanxian, owner=city.enterprise, name="物流园一期", total_investment=1)
    exact = ProjectFactory(region=city.guanxian, owner=city.enterprise, name="物流园", total_investment=2)
    for name, investment in [("冠县物流园", 9), ("物流园二期", 3), ("高唐物流园", 5)]:
        ProjectFactory(region=city.guanxian, owner=city.enterprise, name=name, total_investment=investment)
    assert older.pk < exact.pk
    client.force_login(city.county)
    # graded: 物流园二期 (begins with it) before 高唐物流园 (holds it); the rest by investment
    assert page_names(client, "物流园") == ["物流园", "物流园二期", "高唐物流园", "冠县物流园", "物流园一期"]
    monkeypatch.setattr(search, "RANKED", 1000)
    assert page_names(client, "物流园") == ["物流园", "物流园二期", "物流园一期", "冠县物流园", "高唐物流园"]


def test_an_exact_code_comes_first(city, projects):
    ProjectFactory(region=city.guanxian, owner=city.enterprise, name="2401-371525-04-01-528171配套")
    assert api_names(city.city_admin, "2401-371525-04-01-528171") == [PORT, "2401-371525-04-01-528171配套"]


def test_search_stays_in_the_users_city(client, city, projects):
    client.force_login(city.county)  # 冠县's office
    assert page_names(client, "国际") == [PHASE_2, PORT]


def test_the_index_follows_every_write(city):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise, name="旧名称")
    assert list(Project.objects.filter(project_search_q("jmc"))) == [project]
    project.name = "冠州国际陆港"
    project.save(update_fields=["name"])
    assert list(Project.objects.filter(project_search_q("gzlg"))) == [project]
    assert not Project.objects.filter(project_search_q("旧名称")).exists()
    city.enterprise.name = "鲁西陆港集团"
    city.enterprise.save()
    assert list(Project.objects.filter(project_search_q("鲁西"))) == [project]
    Project.objects.filter(pk=project.pk).update(location="东古城镇")
    assert list(Project.objects.filter(project_search_q("古城"))) == [project]
    [made] = Project.objects.bulk_create(
        [Project(region=city.guanxian, name="清泉水厂", year=2026, total_investment=1)]
    )
    assert list(Project.objects.filter(project_search_q("qqsc"))) == [made]
    project.delete()
    assert not ProjectSearch.objects.filter(project_id=project.pk).exists()
    assert not Project.objects.filter(project_search_q("鲁西")).exists()


def test_rebuild_writes_the_index_anew(city, projects):
    ProjectSearch.objects.all().delete()
    assert not Project.objects.filter(project_search_q("gzlg")).exists()
    call_command("rebuild", "--table", "project_search")
    assert ProjectSearch.objects.count() == Project.objects.count()
    assert Project.objects.filter(project_search_q("gzlg")).count() == 2
    row = ProjectSearch.objects.get(project__name=PORT)
    assert (row.city_id, row.pinyin, row.initials) == (city.liaocheng.pk, "guanzhouguojilugang", "gzgjlg")


@pytest.mark.parametrize("q", ["", "   ", "---", "%_", "\"'*:()&|!", "a" * 500, "冠 " * 50])
def test_any_input_is_a_query(city, projects, q):
    """Punctuation, the index's own syntax and overlong input are words like any other, never an error."""
    Project.objects.filter(project_search_q(q)).count()
    assert ApiClient(city.city_admin).get("/projects", {"q": q[:100]}).status_code == 200


def test_initials_are_typed_two_by_two():
    assert initials_pattern("gzlg") == "%gz%lg%"
    assert initials_pattern("gzg") == "%gz%g%"
    assert [word.word for word in query_words("  冠州　陸港 ")] == ["冠州", "陆港"]


@pytest.mark.parametrize(
    "word", ["港", "陆港", "际陆", "国陆", "港冷", "街道", "道冠", "唐", "國際", "北港湾", "港湾大"]
)
def test_one_or_two_characters_find_exactly_the_projects_whose_text_holds_them(city, projects, word):
    """Such a word is answered by the index alone: it must find what holding the characters finds, no more
    (and a longer one, whose pairs the index holds apart, is checked: 北港湾 is not in 港湾大道北港)."""
    ProjectFactory(region=city.gaotang, owner=city.other_enterprise, name="港湾大道北港")
    holding = {
        p.name
        for p in Project.objects.select_related("owner")
        if search.fold(word) in search.project_values(p)["text"]
    }
    found = set(Project.objects.filter(project_search_q(word)).values_list("name", flat=True))
    assert found == holding
