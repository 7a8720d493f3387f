"""The three administrators: one session each at a time, no superuser in production, and none of them
reads or edits a project — every project page and the API's lists answer 403 or 404, or nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.models import AdministratorSession, User
from keyprojects.accounts.tests.api_client import ApiClient


def sign_in(username: str) -> Client:
    client = Client()
    assert (
        client.post(
            reverse("accounts:login"), {"username": username, "password": "Secret-pass-1"}
        ).status_code
        == 302
    )
    return client


def test_an_administrator_s_new_sign_in_ends_the_other_session(city, secadmin):
    first = sign_in("secadmin")
    assert first.get(reverse("admin:index")).status_code == 200
    second = sign_in("secadmin")
    assert second.get(reverse("admin:index")).status_code == 200
    assert first.get(reverse("admin:index")).status_code == 302, "the first session has ended"
    assert AdministratorSession.objects.get(user=secadmin).session_key == second.session.session_key


def test_other_people_keep_their_sessions(city):
    first, second = sign_in("guanxian"), sign_in("guanxian")
    assert first.get(reverse("projects:list")).status_code == 200
    assert second.get(reverse("projects:list")).status_code == 200


@pytest.fixture
def production(settings):
    settings.KEYPROJECTS_PRODUCTION = True


def test_no_superuser_can_be_made_in_production(db, production):
    with pytest.raises(CommandError, match="生产环境不设超级用户"):
        call_command("createsuperuser", "--no-input", "--username", "root", "--email", "root@example.org")
    with pytest.raises(PermissionDenied, match="生产环境不设超级用户"):
        User(username="root", is_superuser=True).save()
    assert not User.objects.filter(is_superuser=True).exists()


def test_a_superuser_left_from_before_fails_the_check_and_cannot_sign_in(db, settings):
    get_user_model().objects.create_superuser("root", "root@example.org", "Secret-pass-1")
    settings.KEYPROJECTS_PRODUCTION = True
    errors = [e for e in run_checks(databases=["default"]) if e.id == "keyprojects.E001"]
    assert errors and "root" in errors[0].msg
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "root", "password": "Secret-pass-1"})
        .status_code
        == 200
    )
    settings.KEYPROJECTS_PRODUCTION = False
    assert not [e for e in run_checks(databases=["default"]) if e.id == "keyprojects.E001"]


@pytest.mark.parametrize("who", ["admin", "secadmin", "auditor"])
def test_no_administrator_reads_or_edits_projects(client, city, secadmin, auditor, who):
    """Every page of the navigation and every list of the API, as each administrator: no project."""
    from keyprojects.core.navigation import _items
    from keyprojects.projects.tests.factories import ProjectFactory

    project = ProjectFactory(
        city=city.liaocheng, region=city.guanxian, owner=city.enterprise, name="聊城港口物流园"
    )
    person = {"admin": city.admin, "secadmin": secadmin, "auditor": auditor}[who]
    client.force_login(person)
    assert {item.key for item in _items.values() if item.visible(person)} <= {"todo", "audit"}
    assert 'href="/projects/"' not in client.get(reverse("todo")).content.decode()
    pages = [reverse(item.url_name) for item in _items.values()]
    for path in [*pages, "/projects/", f"/projects/{project.pk}/", f"/projects/{project.pk}/edit/"]:
        response = client.get(path)
        assert response.status_code in (302, 403, 404) or project.name not in response.content.decode(), path
    api = ApiClient(person)
    lists = [
        path.removeprefix("/api/v1")
        for path, operations in client.get("/api/v1/openapi.json").json()["paths"].items()
        if "get" in operations and "{" not in path
    ]
    assert len(lists) > 20
    for path in lists:
        response = api.get(path)
        assert response.status_code != 500, path
        assert response.status_code in (403, 404) or project.name not in response.content.decode(), path
    assert api.get(f"/projects/{project.pk}").status_code in (403, 404)
    assert api.patch(f"/projects/{project.pk}", {"name": "改"}).status_code in (403, 404, 428)
