"""Under `make run` (the dev settings) a missing page or a failure shows the platform's own page, not
Django's debug page, unless a developer asks for it with KEYPROJECTS_DEBUG_PAGES."""

import importlib

import pytest
from django.test import Client
from django.urls import path

import config.urls


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [*config.urls.urlpatterns, path("broken/", broken)]
handler404 = config.urls.handler404
handler500 = config.urls.handler500


def dev_debug(monkeypatch, value: str | None) -> bool:
    monkeypatch.delenv("DEBUG", raising=False)
    if value is None:
        monkeypatch.delenv("KEYPROJECTS_DEBUG_PAGES", raising=False)
    else:
        monkeypatch.setenv("KEYPROJECTS_DEBUG_PAGES", value)
    return importlib.reload(importlib.import_module("config.settings.dev")).DEBUG


@pytest.fixture
def as_make_run(settings, monkeypatch):
    settings.DEBUG = dev_debug(monkeypatch, None)
    settings.ROOT_URLCONF = __name__


def test_make_run_shows_the_platforms_404(as_make_run, client, city):
    client.force_login(city.city_admin)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "kp-topbar" in html
    assert "URLconf" not in html and "DEBUG = True" not in html


def test_make_run_shows_the_platforms_500(as_make_run, city):
    client = Client(raise_request_exception=False)
    client.force_login(city.city_admin)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html and "boom" not in html and "Traceback" not in html


def test_developers_ask_for_the_debug_pages(settings, monkeypatch, client, db):
    settings.DEBUG = dev_debug(monkeypatch, "1")
    settings.ROOT_URLCONF = __name__
    assert settings.DEBUG
    html = client.get("/no-such-page/").content.decode()
    assert "URLconf" in html
