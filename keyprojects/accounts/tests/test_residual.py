"""剩余信息保护: signing out leaves nothing on the server that signs anyone in, and no page or export with
personal data may be kept by a cache."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from keyprojects.projects.tests.factories import ProjectFactory


def test_signing_out_deletes_the_session_on_the_server(city):
    client = Client()
    client.force_login(city.county)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=cookie).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    replayed = Client()
    replayed.cookies[settings.SESSION_COOKIE_NAME] = cookie
    answer = replayed.get("/projects/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_pages_and_exports_with_personal_data_are_not_cached(city):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise, contact_phone="13812345678")
    client = Client()
    client.force_login(city.city_admin)
    for path in (f"/projects/{project.pk}/", "/sheets/export/projects.xlsx", "/accounts/profile/"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "no-store" in answer["Cache-Control"], path
