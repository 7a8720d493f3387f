"""One's profile and one's password: the change (the current one asked for, the validators applied), and
the first login with a password an administrator set, which asks for a new one before anything else."""

import pytest
from django.urls import reverse

from keyprojects.accounts.models import ApiToken, Role, User
from keyprojects.accounts.services import account_save

PASSWORD = "accounts:password"


def change(client, old: str, new: str, again: str | None = None):
    return client.post(
        reverse(PASSWORD), {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_profile_shows_who_one_is(client, city):
    client.force_login(city.county)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "个人信息" in html and city.county.username in html and "冠县发展和改革局" in html
    assert reverse(PASSWORD) in html


def test_password_change_asks_for_the_current_one(client, city):
    client.force_login(city.county)
    refused = change(client, "wrong", "Liaocheng-new-7")
    assert refused.status_code == 200
    assert "你的旧密码不正确" in refused.content.decode()
    city.county.refresh_from_db()
    assert city.county.check_password("Secret-pass-1")


def test_password_change_applies_the_validators(client, city):
    client.force_login(city.county)
    html = change(client, "Secret-pass-1", "12345678").content.decode()
    assert "这个密码太常见了" in html and "密码只包含数字" in html
    mismatch = change(client, "Secret-pass-1", "Liaocheng-new-7", "Liaocheng-new-8").content.decode()
    assert "输入的两个密码不一致" in mismatch
    city.county.refresh_from_db()
    assert city.county.check_password("Secret-pass-1")


def test_password_change_keeps_one_signed_in(client, city):
    client.force_login(city.county)
    response = change(client, "Secret-pass-1", "Liaocheng-new-7")
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    city.county.refresh_from_db()
    assert city.county.check_password("Liaocheng-new-7")
    assert "密码已修改" in client.get(response.url).content.decode()


@pytest.fixture
def newcomer(city, client, secadmin) -> User:
    """An account the system administrator made in the admin, with a password typed there, made a county
    officer by the security administrator."""
    client.force_login(city.admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "chiping",
            "usable_password": "true",
            "password1": "Liaocheng-2024!x",
            "password2": "Liaocheng-2024!x",
            "full_name": "王芳",
        },
    )
    assert response.status_code == 302
    client.logout()
    user = User.objects.get(username="chiping")
    user.role, user.organization = Role.COUNTY_OFFICER, city.guan_office
    account_save(actor=secadmin, user=user)
    return user


def test_an_account_made_by_the_administrator_must_change_its_password(newcomer, client):
    assert newcomer.must_change_password
    login = client.post(reverse("accounts:login"), {"username": "chiping", "password": "Liaocheng-2024!x"})
    landing = client.get(login.url)
    assert landing.status_code == 302 and landing.url == reverse(PASSWORD)
    for path in ("/projects/", reverse("accounts:profile"), "/metrics/"):
        assert client.get(path).url == reverse(PASSWORD), path
    page = client.get(reverse(PASSWORD)).content.decode()
    assert "您的密码由管理员设置，请先修改密码" in page
    api = client.get("/api/v1/projects")
    assert api.status_code == 403
    assert "须先修改密码" in api.json()["detail"]

    done = change(client, "Liaocheng-2024!x", "Guanxian-own-9")
    assert done.status_code == 302 and done.url == reverse("home")
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password and newcomer.check_password("Guanxian-own-9")
    assert client.get("/projects/").status_code == 200


def test_a_password_reset_by_the_administrator_must_be_changed(client, city):
    client.force_login(city.admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[city.county.pk]),
        {"usable_password": "true", "password1": "Reset-by-admin-3", "password2": "Reset-by-admin-3"},
    )
    assert response.status_code == 302
    city.county.refresh_from_db()
    assert city.county.must_change_password and city.county.check_password("Reset-by-admin-3")


def test_the_api_refuses_a_person_who_must_change_the_password(client, city):
    _token, raw = ApiToken.issue(user=city.county)
    city.county.must_change_password = True
    city.county.save()
    listed = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {raw}"})
    assert listed.status_code == 403 and "须先修改密码" in listed.json()["detail"]
    issued = client.post(
        "/api/v1/auth/token",
        {"username": city.county.username, "password": "Secret-pass-1"},
        content_type="application/json",
    )
    assert issued.status_code == 403 and "须先修改密码" in issued.json()["detail"]


def test_logging_out_stays_open(client, city):
    city.county.must_change_password = True
    city.county.save()
    client.force_login(city.county)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
