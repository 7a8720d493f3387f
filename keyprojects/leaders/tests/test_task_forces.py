"""Task forces: formed by the city office of people of several organisations of its city; their
members see the task force's projects and act on them as their roles allow; nothing crosses cities."""

from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.leaders.models import TaskForce
from keyprojects.metrics.tests.helpers import list_project
from keyprojects.projects.permissions import visible_projects


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(city, project, **extra):
    return {
        "name": "冠州国际陆港工作专班",
        "lead_organization": city.guan_office.pk,
        "members": [city.other_county.pk, city.department_officer.pk, city.owner.pk],
        "projects": [project.pk],
        **extra,
    }


def test_the_city_office_forms_a_task_force_on_its_page(city):
    project = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)
    answer = client_of(city.city_admin).post("/leaders/task-forces/new/", _form(city, project))
    task_force = TaskForce.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/leaders/task-forces/{task_force.pk}/"
    assert task_force.city_id == city.liaocheng.pk
    organisations = set(task_force.members.values_list("organization__name", flat=True))
    assert organisations == {"高唐县发展和改革局", "聊城市自然资源和规划局", "冠县陆港投资有限公司"}
    page = client_of(city.city_admin).get(f"/leaders/task-forces/{task_force.pk}/").content.decode()
    assert "冠州国际陆港" in page and "高唐县发展和改革局" in page
    # the same name twice in a city is refused beside the field, nothing saved
    again = client_of(city.city_admin).post("/leaders/task-forces/new/", _form(city, project))
    assert again.status_code == 200 and "本市已有同名的工作专班" in again.content.decode()
    assert TaskForce.objects.count() == 1
    # nobody but the city office forms one
    assert (
        client_of(city.county).post("/leaders/task-forces/new/", _form(city, project, name="x")).status_code
        == 403
    )


def test_members_see_and_act_on_the_task_forces_projects_as_their_roles_allow(city):
    project = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)
    assert ApiClient(city.other_county).get(f"/projects/{project.pk}").status_code == 404
    assert ApiClient(city.other_owner).get(f"/projects/{project.pk}").status_code == 404
    office = ApiClient(city.city_admin)
    created = office.post(
        "/task-forces",
        {"name": "陆港专班", "lead_organization": city.guan_office.pk, "projects": [project.pk]},
    )
    assert created.status_code == 201, created.json()
    tf = created.json()["id"]
    for member in (city.other_county, city.other_owner):
        assert office.post(f"/task-forces/{tf}/members", {"user": member.pk}).status_code == 200
    # the other county's officer now sees and edits it (a county officer may edit what it acts on)
    assert ApiClient(city.other_county).get(f"/projects/{project.pk}").status_code == 200
    edit = ApiClient(city.other_county).patch(
        f"/projects/{project.pk}", {"remarks": "专班调度"}, **{"If-Match": f'"{project.version}"'}
    )
    assert edit.status_code == 200, edit.json()
    form = client_of(city.other_county).get(f"/projects/{project.pk}/edit/").content.decode()
    assert f'<option value="{city.guanxian.pk}" selected>冠县</option>' in form  # kept where it is
    # another enterprise's owner sees it, but changes only its own projects
    assert ApiClient(city.other_owner).get(f"/projects/{project.pk}").status_code == 200
    project.refresh_from_db()
    refused = ApiClient(city.other_owner).patch(
        f"/projects/{project.pk}", {"remarks": "x"}, **{"If-Match": f'"{project.version}"'}
    )
    assert refused.status_code == 403
    # members see their task force; others (not the city office or the leaders) do not
    assert [t["id"] for t in ApiClient(city.other_county).get("/task-forces").json()["items"]] == [tf]
    assert ApiClient(city.county).get("/task-forces").json()["items"] == []
    assert ApiClient(city.county).get(f"/task-forces/{tf}").status_code == 404
    assert ApiClient(city.leader).get(f"/task-forces/{tf}").status_code == 200
    # once out of the task force, the project is hidden again
    assert office.delete(f"/task-forces/{tf}/members/{city.other_county.pk}").status_code == 200
    assert ApiClient(city.other_county).get(f"/projects/{project.pk}").status_code == 404
    assert office.delete(f"/task-forces/{tf}/projects/{project.pk}").status_code == 200
    assert ApiClient(city.other_owner).get(f"/projects/{project.pk}").status_code == 404


def test_a_department_member_sees_the_projects_of_its_task_force(city):
    project = list_project(region=city.gaotang, owner=city.other_enterprise)
    assert not visible_projects(city.department_officer).filter(pk=project.pk).exists()
    task_force = TaskForce.objects.create(name="奥博专班", lead_organization=city.department)
    task_force.projects.add(project)
    task_force.members.add(city.department_officer)
    assert list(visible_projects(city.department_officer)) == [project]


def test_members_and_projects_come_from_the_task_forces_own_city(city, other_city):
    project = list_project(region=city.guanxian, owner=city.enterprise)
    elsewhere = list_project(region=other_city.qihe, owner=other_city.enterprise)
    office = ApiClient(city.city_admin)
    answer = office.post(
        "/task-forces",
        {
            "name": "跨市专班",
            "lead_organization": other_city.city_office.pk,
            "members": [other_city.county.pk],
            "projects": [elsewhere.pk],
        },
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"lead_organization", "members", "projects"}
    tf = office.post("/task-forces", {"name": "陆港专班", "lead_organization": city.guan_office.pk}).json()[
        "id"
    ]
    assert office.post(f"/task-forces/{tf}/members", {"user": other_city.county.pk}).status_code == 422
    assert office.post(f"/task-forces/{tf}/projects", {"project": elsewhere.pk}).status_code == 422
    assert TaskForce.objects.get(pk=tf).members.count() == 0
    # the other city's office cannot reach this city's task force
    assert ApiClient(other_city.city_admin).get(f"/task-forces/{tf}").status_code == 404
    assert (
        ApiClient(other_city.city_admin)
        .post(f"/task-forces/{tf}/members", {"user": other_city.county.pk})
        .status_code
        == 404
    )
    assert project.pk


def test_a_task_force_member_of_one_city_sees_nothing_of_another(city, other_city):
    liaocheng = list_project(region=city.guanxian, owner=city.enterprise)
    dezhou = list_project(region=other_city.qihe, owner=other_city.enterprise)
    ours = TaskForce.objects.create(name="陆港专班", lead_organization=city.guan_office)
    ours.projects.add(liaocheng)
    theirs = TaskForce.objects.create(name="齐河专班", lead_organization=other_city.county_office)
    theirs.projects.add(dezhou)
    theirs.members.add(other_city.county, other_city.department_officer)
    for member in (other_city.county, other_city.department_officer):
        assert list(visible_projects(member)) == [dezhou]
        api = ApiClient(member)
        assert [t["id"] for t in api.get("/task-forces").json()["items"]] == [theirs.pk]
        assert api.get(f"/task-forces/{ours.pk}").status_code == 404
        assert api.get(f"/projects/{liaocheng.pk}").status_code == 404
        assert client_of(member).get(f"/leaders/task-forces/{ours.pk}/").status_code == 404


def test_the_project_page_shows_its_leader_and_task_force(city):
    project = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise, leader=city.leader,
                           leader_name="张副市长", leader_post="副市长")  # fmt: skip
    task_force = TaskForce.objects.create(name="陆港专班", lead_organization=city.guan_office)
    task_force.projects.add(project)
    page = client_of(city.county).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="project-leaders"' in page and "张副市长 · 副市长" in page
    # the county officer is no member: the task force is named, not linked
    assert "陆港专班" in page and f'href="/leaders/task-forces/{task_force.pk}/"' not in page
    page = client_of(city.city_admin).get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/leaders/task-forces/{task_force.pk}/"' in page
