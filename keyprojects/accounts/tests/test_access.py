"""The access table: one declaration of what each role sees and may do, that later apps extend."""

import re
from dataclasses import replace
from pathlib import Path

import pytest
from django.db.models import Q

from keyprojects.accounts import access
from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.projects.permissions import can_edit_project, visible_projects
from keyprojects.projects.tests.factories import ProjectFactory

SOURCE = Path(access.__file__).resolve().parents[1]


@pytest.fixture
def restore_access():
    scopes, table = dict(access._scopes), dict(access.ACCESS)
    yield
    access._scopes.clear()
    access._scopes.update(scopes)
    access.ACCESS.clear()
    access.ACCESS.update(table)


def test_every_action_granted_or_checked_is_declared():
    granted = {action for role in access.ACCESS.values() for action in role.may}
    checked = {
        match
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        for match in re.findall(r"\bmay\(\s*[\w.]+,\s*\"([\w.]+)\"", path.read_text())
    }
    assert checked, "the apps ask the table"
    assert granted <= set(access.ACTIONS)
    assert checked <= set(access.ACTIONS)
    assert set(access.ACTIONS) <= granted  # nothing declared for nobody


@pytest.mark.django_db
def test_every_role_of_the_platform_has_a_row():
    assert set(access.ACCESS) == set(Role.values)


@pytest.mark.django_db
def test_a_new_scope_registers_without_editing_the_table(city, restore_access):
    task_force = ProjectFactory(name="冠州国际陆港专班项目", region=city.guanxian, owner=city.enterprise)
    other = ProjectFactory(name="奥博生物", region=city.gaotang, owner=city.other_enterprise)
    officer = city.department_officer
    assert not visible_projects(officer).filter(pk=task_force.pk).exists()

    access.register_scope("task_force", lambda user, org: Q(city_id=org.city_id, name__contains="专班"))
    access.grant(Role.DEPARTMENT_OFFICER, sees=["task_force"])

    assert list(visible_projects(officer).filter(pk__in=[task_force.pk, other.pk])) == [task_force]
    assert ApiClient(officer).get(f"/projects/{task_force.pk}").status_code == 200
    assert ApiClient(officer).get(f"/projects/{other.pk}").status_code == 404
    edit = ApiClient(officer).patch(
        f"/projects/{task_force.pk}", {"remarks": "x"}, **{"If-Match": f'"{task_force.version}"'}
    )
    assert edit.status_code == 403  # seeing is not changing


@pytest.mark.django_db
def test_an_action_taken_from_a_role_is_refused_everywhere(city, restore_access):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    county = access.ACCESS[Role.COUNTY_OFFICER]
    access.ACCESS[Role.COUNTY_OFFICER] = replace(county, may=county.may - {"project.edit"})
    api = ApiClient(city.county)
    assert api.get(f"/projects/{project.pk}").status_code == 200
    answer = api.patch(f"/projects/{project.pk}", {"remarks": "x"}, **{"If-Match": f'"{project.version}"'})
    assert answer.status_code == 403


@pytest.mark.django_db
def test_the_city_and_the_owner_scopes_decide_a_loaded_project_without_a_query(
    city, other_city, django_assert_num_queries
):
    mine = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    theirs = ProjectFactory(region=other_city.qihe, owner=other_city.enterprise)
    for user in (city.city_admin, city.owner):
        user.organization  # noqa: B018 (loaded once, as a request does)
    with django_assert_num_queries(0):
        assert can_edit_project(city.city_admin, mine) and not can_edit_project(city.city_admin, theirs)
        assert can_edit_project(city.owner, mine) and not can_edit_project(city.owner, theirs)
    assert can_edit_project(city.county, mine) and not can_edit_project(city.other_county, mine)
