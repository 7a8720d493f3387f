import pytest
from django.test import Client

from keyprojects.accounts.models import ApiToken
from keyprojects.accounts.tests.api_client import API, ApiClient
from keyprojects.projects.tests.factories import ProjectFactory

PASSWORD = "Secret-pass-1"


def issue(client: Client, username: str, password: str = PASSWORD, **headers):
    return client.post(
        f"{API}/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        headers=headers,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_for_username_and_password(city, client):
    response = issue(client, "guanxian")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = client.get(f"{API}/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.json()["username"] == "guanxian"
    assert me.json()["role"] == "county_officer"
    assert me.json()["organization"]["region"] == "371525"
    assert me.json()["can_create_project"] is True


def test_wrong_password_and_unknown_user_are_refused_alike(city, client):
    wrong = issue(client, "guanxian", "nope")
    unknown = issue(client, "nobody", "nope")
    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert wrong.json() == unknown.json()
    assert "密码" in wrong.json()["detail"]


def test_missing_credentials_name_the_field(city, client):
    response = client.post(f"{API}/auth/token", {"username": "guanxian"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"password": ["此字段为必填项"]}


def test_username_is_locked_after_five_failures(city, client):
    results = [issue(client, "guanxian", "wrong").status_code for _ in range(5)]
    assert results == [401, 401, 401, 401, 429]
    locked = issue(client, "guanxian")
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert "锁定" in locked.json()["detail"]
    # Another username from the same address is not affected.
    assert issue(client, "gaotang").status_code == 200


def test_success_resets_the_failure_count(city, client):
    for _ in range(4):
        issue(client, "guanxian", "wrong")
    assert issue(client, "guanxian").status_code == 200
    assert [issue(client, "guanxian", "wrong").status_code for _ in range(4)] == [401] * 4


def test_revoked_token_is_refused(city, client):
    token = issue(client, "guanxian").json()["token"]
    assert client.delete(f"{API}/auth/token", headers=bearer(token)).status_code == 204
    response = client.get(f"{API}/me", headers=bearer(token))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.delete(f"{API}/auth/token", headers=bearer(token)).status_code == 401


def test_inactive_user_is_refused_token_and_existing_tokens(city, client):
    token = issue(client, "guanxian").json()["token"]
    city.county.is_active = False
    city.county.save()
    assert client.get(f"{API}/me", headers=bearer(token)).status_code == 401
    assert issue(client, "guanxian").status_code == 401


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Token abc", "Bearer "])
def test_malformed_or_unknown_tokens_are_refused(city, client, header):
    assert client.get(f"{API}/me", headers={"Authorization": header}).status_code == 401


def test_list_and_revoke_own_tokens(city):
    first, _ = ApiToken.issue(user=city.county, name="报表工具")
    foreign, _ = ApiToken.issue(user=city.other_county)
    api = ApiClient(city.county)
    listed = api.get("/auth/tokens").json()
    assert listed["count"] == 2
    assert "报表工具" in [t["name"] for t in listed["items"]]
    assert all("key_hash" not in t for t in listed["items"])
    assert api.delete(f"/auth/tokens/{foreign.pk}").status_code == 404
    assert api.delete(f"/auth/tokens/{first.pk}").status_code == 204
    assert api.delete(f"/auth/tokens/{first.pk}").status_code == 404
    first.refresh_from_db()
    foreign.refresh_from_db()
    assert first.revoked_at is not None
    assert foreign.revoked_at is None


def test_browser_session_works_with_csrf(city):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.county)
    assert client.get(f"{API}/me").json()["username"] == "guanxian"
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    url = f"{API}/projects/{project.pk}"
    body = {"remarks": "会话修改"}
    refused = client.patch(url, body, content_type="application/json", headers={"If-Match": '"1"'})
    assert (refused.status_code, refused.json()) == (403, {"detail": "CSRF 校验失败，请刷新页面后重试"})
    client.get(f"{API}/docs")  # any page that renders a CSRF token sets the cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        url, body, content_type="application/json", headers={"If-Match": '"1"', "X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    assert accepted.json()["remarks"] == "会话修改"


def test_session_cannot_revoke_a_token_it_did_not_use(city):
    client = Client()
    client.force_login(city.county)
    assert client.delete(f"{API}/auth/token").status_code == 401


def test_regions_list_codes_and_parents(city):
    body = ApiClient(city.owner).get("/regions").json()
    regions = {item["code"]: item for item in body["items"]}
    assert body["count"] == 4
    assert regions["371525"]["parent"] == "371500"
    assert regions["371525"]["name"] == "冠县"
    assert regions["370000"]["parent"] is None


def test_organizations_filter_by_kind(city):
    body = ApiClient(city.city_admin).get("/organizations", {"kind": "enterprise"}).json()
    assert {item["name"] for item in body["items"]} == {city.enterprise.name, city.other_enterprise.name}
    assert ApiClient(city.city_admin).get("/organizations", {"kind": "bank"}).status_code == 422
