"""Logging in and out of the pages, and the lock after repeated failures."""

import pytest
from django.urls import reverse

LOGIN = "accounts:login"


def attempt(client, username: str, password: str):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def test_login_page_speaks_chinese(client, db):
    response = client.get(reverse(LOGIN))
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户登录" in html and "重点项目全生命周期协同管理平台" in html


def test_login_takes_the_user_to_what_waits_for_them(client, city):
    response = attempt(client, "guanxian", "Secret-pass-1")
    assert response.status_code == 302
    assert client.get(response.url, follow=True).request["PATH_INFO"] == reverse("todo")


def test_wrong_password_is_refused_with_a_clear_message(client, city):
    response = attempt(client, "guanxian", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username(client, city):
    for _ in range(4):
        assert attempt(client, "guanxian", "wrong").status_code == 200
    locked = attempt(client, "guanxian", "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "账号已锁定" in html
    assert "账号“guanxian”登录连续失败 5 次，自第一次失败起锁定 15 分钟" in html
    assert attempt(client, "guanxian", "Secret-pass-1").status_code == 429, "even the right password"
    assert "_auth_user_id" not in client.session
    assert attempt(client, "gaotang", "Secret-pass-1").status_code == 302, "other usernames are not locked"


def test_success_resets_the_failure_count(client, city):
    for _ in range(4):
        attempt(client, "guanxian", "wrong")
    assert attempt(client, "guanxian", "Secret-pass-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "guanxian", "wrong").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_logout_needs_a_post(client, city, method):
    client.force_login(city.county)
    response = getattr(client, method)(reverse("accounts:logout"))
    if method == "get":
        assert response.status_code == 405
        assert "_auth_user_id" in client.session
    else:
        assert response.status_code == 302 and response.url == reverse(LOGIN)
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("projects:list")).status_code == 302


def test_pages_show_who_is_logged_in_with_a_logout_form(client, city):
    client.force_login(city.county)
    html = client.get(reverse("projects:list")).content.decode()
    assert city.county.display_name in html and "冠县发展和改革局" in html and "县级项目专员" in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert f'action="{reverse("set_language")}"' in html


def test_language_switch(client, city):
    client.force_login(city.county)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("projects:list")})
    assert response.status_code == 302
    html = client.get(reverse("projects:list")).content.decode()
    assert '<html lang="en">' in html
    assert "No project matches the filters" in html and "Sign out" in html


def test_pages_speak_chinese_unless_english_is_chosen_while_the_api_follows_accept_language(client, city):
    client.force_login(city.city_admin)
    page = client.get(reverse("projects:list"), headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="zh-hans">' in page
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(reverse("projects:list")).content.decode()
    del client.cookies["django_language"]
    refused = client.get("/api/v1/projects/999999", headers={"Accept-Language": "en"})
    assert refused.status_code == 404 and refused.json()["detail"] == "Project not found"


def test_everyone_lands_on_their_todo_the_system_administrator_s_leading_to_the_accounts(client, city):
    client.force_login(city.admin)
    assert client.get("/").url == reverse("todo")
    assert reverse("admin:index") in client.get(reverse("todo")).content.decode()
    client.force_login(city.county)
    assert client.get("/").url == reverse("todo")
