"""The administration of the three separated administrators (三员分立) in /admin/: each sees and changes
only their part, by role rather than permission rows, through the same services as any page."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from keyprojects.accounts import services
from keyprojects.accounts.models import ApiToken, Role, RoleGrant, User


def _change_form(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "post": user.post,
        "phone": user.phone,
        "email": user.email,
        "role": user.role,
        "organization": user.organization_id or "",
        "is_active": "on",
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def _change(client, user: User, **overrides):
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), _change_form(user, **overrides))


def test_the_system_administrator_makes_accounts_but_gives_no_role(client, city):
    client.force_login(city.admin)
    form = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert 'name="role"' not in form and 'name="organization"' not in form
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "chiping",
            "password1": "Liaocheng-2024!x",
            "password2": "Liaocheng-2024!x",
            "full_name": "王芳",
            "role": Role.CITY_ADMIN,
            "organization": city.city_office.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="chiping")
    assert (user.role, user.organization, user.is_staff) == ("", None, False)
    assert user.check_password("Liaocheng-2024!x") and user.must_change_password
    assert not RoleGrant.objects.filter(user=user).exists()


def test_the_system_administrator_edits_details_and_status_but_not_the_role(client, city):
    client.force_login(city.admin)
    page = client.get(reverse("admin:accounts_user_change", args=[city.county.pk])).content.decode()
    assert 'name="full_name"' in page and 'name="is_active"' in page
    assert 'name="role"' not in page and 'name="organization"' not in page
    assert (
        _change(client, city.county, full_name="李强", role=Role.CITY_ADMIN, is_active="").status_code == 302
    )
    city.county.refresh_from_db()
    assert (city.county.full_name, city.county.is_active, city.county.role) == (
        "李强",
        False,
        Role.COUNTY_OFFICER,
    )
    assert not RoleGrant.objects.exists()


def test_the_security_administrator_grants_roles_recorded_and_nothing_else(client, city, secadmin):
    client.force_login(secadmin)
    page = client.get(reverse("admin:accounts_user_change", args=[city.leader.pk])).content.decode()
    assert 'name="role"' in page and 'name="organization"' in page
    assert 'name="full_name"' not in page and 'name="is_active"' not in page and "password/" not in page
    response = _change(
        client, city.leader, role=Role.COUNTY_OFFICER, organization=city.guan_office.pk, full_name="改名"
    )
    assert response.status_code == 302
    city.leader.refresh_from_db()
    assert (city.leader.role, city.leader.organization, city.leader.full_name) == (
        Role.COUNTY_OFFICER,
        city.guan_office,
        "用户" + city.leader.full_name.removeprefix("用户"),
    )
    grant = RoleGrant.objects.get(user=city.leader)
    assert (grant.actor, grant.old_role, grant.new_role) == (secadmin, Role.LEADER, Role.COUNTY_OFFICER)
    assert (grant.old_organization, grant.new_organization) == (city.city_office, city.guan_office)
    _change(client, city.leader)
    assert RoleGrant.objects.filter(user=city.leader).count() == 1  # nothing changed, nothing recorded
    assert client.get(reverse("admin:accounts_rolegrant_change", args=[grant.pk])).status_code == 200
    assert client.post(reverse("admin:accounts_rolegrant_delete", args=[grant.pk])).status_code == 403
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.get(reverse("admin:auth_user_password_change", args=[city.leader.pk])).status_code == 403


def test_staff_follows_the_role_and_nobody_is_made_a_superuser(client, city, secadmin):
    client.force_login(secadmin)
    _change(
        client, city.county, role=Role.SYSTEM_ADMIN, is_superuser="on", user_permissions=["1"], groups=["1"]
    )
    city.county.refresh_from_db()
    assert (city.county.role, city.county.is_staff, city.county.is_superuser) == (
        Role.SYSTEM_ADMIN,
        True,
        False,
    )
    assert not city.county.user_permissions.exists() and not city.county.groups.exists()
    page = client.get(reverse("admin:accounts_user_change", args=[city.county.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    city.county.is_superuser = True
    with pytest.raises(PermissionDenied, match="不能设置超级用户"):
        services.account_save(actor=city.admin, user=city.county)


@pytest.mark.parametrize("who", ["admin", "secadmin"])
def test_no_one_changes_their_own_role_or_status(client, city, secadmin, who):
    me = secadmin if who == "secadmin" else city.admin
    client.force_login(me)
    page = client.get(reverse("admin:accounts_user_change", args=[me.pk])).content.decode()
    assert 'name="role"' not in page and 'name="is_active"' not in page
    _change(client, me, role=Role.CITY_ADMIN, is_active="")
    me.refresh_from_db()
    assert me.is_active and me.role in (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN)
    assert not RoleGrant.objects.filter(user=me).exists()


def granted(user: User, role: str, organization=None) -> User:
    user = User.objects.get(pk=user.pk)
    user.role, user.organization = role, organization
    return user


def test_the_services_refuse_in_chinese_whatever_calls_them(city, secadmin):
    with pytest.raises(PermissionDenied, match="不能修改自己的角色或所属机构"):
        services.account_save(actor=secadmin, user=granted(secadmin, Role.CITY_ADMIN))
    with pytest.raises(PermissionDenied, match="角色和所属机构由安全管理员授予"):
        services.account_save(actor=city.admin, user=granted(city.county, Role.CITY_ADMIN))
    city.county.full_name = "改名"
    with pytest.raises(PermissionDenied, match="账号由系统管理员新建和修改"):
        services.account_save(actor=secadmin, user=city.county)
    myself = User.objects.get(pk=city.admin.pk)
    myself.is_active = False
    with pytest.raises(PermissionDenied, match="不能停用自己的账号"):
        services.account_save(actor=city.admin, user=myself)
    grant = services.account_save(actor=secadmin, user=granted(city.county, Role.LEADER, city.city_office))
    assert grant is not None and grant.actor == secadmin


def test_each_administrator_sees_only_their_part(client, city, secadmin, auditor):
    parts = {
        "region": ("admin",),
        "organization": ("admin",),
        "user": ("admin", "secadmin"),
        "apitoken": ("admin",),
        "rolegrant": ("secadmin",),
        "securitypolicy": ("secadmin",),
        "lockout": ("secadmin",),
    }
    people = {"admin": city.admin, "secadmin": secadmin, "auditor": auditor, "city": city.city_admin}
    for name, person in people.items():
        client.force_login(person)
        for model, whose in parts.items():
            response = client.get(f"/admin/accounts/{model}/")
            opens = response.status_code == 200 or (
                response.status_code == 302 and "login" not in response.url
            )
            assert opens == (name in whose), (name, model, response.status_code)
    client.force_login(auditor)
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/accounts/" not in index


def test_tokens_can_be_revoked_but_not_issued_in_the_admin(client, city):
    token, _raw = ApiToken.issue(user=city.county, name="调度脚本")
    client.force_login(city.admin)
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_other_roles_do_not_manage_accounts(client, city):
    city.leader.is_staff = True
    city.leader.save()
    client.force_login(city.leader)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_an_account_is_disabled_never_deleted(client, city):
    client.force_login(city.admin)
    assert client.post(reverse("admin:accounts_user_delete", args=[city.county.pk])).status_code == 403
    assert User.objects.filter(pk=city.county.pk).exists()


def test_domain_records_and_settings_are_not_in_the_admin(client, city):
    client.force_login(city.admin)
    ours = {
        model._meta.label for model in admin.site._registry if model.__module__.startswith("keyprojects.")
    }
    assert ours >= {
        "accounts.Region",
        "accounts.Organization",
        "accounts.User",
        "accounts.ApiToken",
        "accounts.RoleGrant",
        "accounts.SecurityPolicy",
        "accounts.Lockout",
        "audit.AuditRecord",  # read only, for the audit administrator
        "audit.AuditAnchor",
    }
    assert {label.split(".")[0] for label in ours} <= {"accounts", "audit"}
    assert client.get("/admin/metrics/metricssettings/").status_code == 404
    assert client.get("/admin/alerts/warningrules/").status_code == 404
