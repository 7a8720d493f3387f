"""Phone numbers are encrypted at rest (SM4-GCM, `core.crypto`) and read whole only by those who act on
the project (the city office, its county, its owner); every other reader sees 138****5678, on the page,
in the API and in the export alike."""

import io

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from keyprojects.accounts.models import User
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.crypto import decrypt, encrypt_column
from keyprojects.core.history import decode
from keyprojects.projects.models import Project, ProjectEvent

from .factories import ProjectFactory

PHONE, MASKED = "13812345678", "138****5678"
WHOLE = ["city_admin", "county", "owner"]
MASKED_TO = ["leader", "province_officer"]


@pytest.fixture
def project(city):
    return ProjectFactory(
        name="冠县陆港物流园", region=city.guanxian, owner=city.enterprise, contact_phone=PHONE
    )


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_stored_phone_is_not_the_plaintext(project, city):
    stored = raw("projects_project", "contact_phone", project.pk)
    assert stored.startswith("sm4gcm:") and PHONE not in stored
    assert decrypt(stored, context="projects_project.contact_phone") == PHONE
    assert Project.objects.get(pk=project.pk).contact_phone == PHONE
    city.owner.phone = "13900001111"
    city.owner.save()
    assert "13900001111" not in raw("accounts_user", "phone", city.owner.pk)
    assert User.objects.get(pk=city.owner.pk).phone == "13900001111"


def test_the_migration_encrypts_existing_rows_and_back(project):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_project SET contact_phone = %s WHERE id = %s", [PHONE, project.pk])
    migration = encrypt_column("projects.Project", "contact_phone")
    migration.code(apps, None)
    assert raw("projects_project", "contact_phone", project.pk).startswith("sm4gcm:")
    assert Project.objects.get(pk=project.pk).contact_phone == PHONE
    migration.reverse_code(apps, None)
    assert raw("projects_project", "contact_phone", project.pk) == PHONE


def shown_on_each(user, project) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    api = ApiClient(user)
    workbook = load_workbook(io.BytesIO(client.get("/sheets/export/projects.xlsx").content))
    cells = {str(c.value) for row in workbook.active.iter_rows() for c in row if c.value}
    return {
        "page": PHONE if PHONE in page else MASKED if MASKED in page else "",
        "api": api.get(f"/projects/{project.pk}").json()["contact_phone"],
        "list": api.get("/projects").json()["items"][0]["contact_phone"],
        "export": PHONE if PHONE in cells else MASKED if MASKED in cells else "",
    }


@pytest.mark.parametrize("role", WHOLE + MASKED_TO)
def test_the_phone_is_whole_only_to_those_who_act_on_the_project(project, city, role):
    expected = PHONE if role in WHOLE else MASKED
    assert shown_on_each(getattr(city, role), project) == dict.fromkeys(
        ("page", "api", "list", "export"), expected
    )


def test_search_and_sorting_still_work(project, city):
    api = ApiClient(city.leader)
    ProjectFactory(
        name="高唐生物医药产业园", region=city.gaotang, owner=city.other_enterprise, contact_phone="1"
    )
    assert [p["name"] for p in api.get("/projects", {"q": "陆港"}).json()["items"]] == ["冠县陆港物流园"]
    assert len(api.get("/projects", {"sort": "name"}).json()["items"]) == 2


def test_the_history_keeps_a_change_of_phone_masked(project, city):
    api = ApiClient(city.city_admin)
    version = api.get(f"/projects/{project.pk}")["ETag"]
    answer = api.patch(f"/projects/{project.pk}", {"contact_phone": "13987654321"}, **{"If-Match": version})
    assert answer.status_code == 200, answer.json()
    (event,) = ProjectEvent.objects.filter(project=project, field="contact_phone")
    assert (decode(event.old), decode(event.new)) == (MASKED, "139****4321")
