"""Account management in /admin/: the system administrator's work, by role rather than permission rows."""

from django.contrib import admin
from django.urls import reverse

from keyprojects.accounts.models import ApiToken, Role, RoleGrant, User


def test_system_administrator_manages_users(client, city):
    client.force_login(city.admin)
    assert client.get(reverse("admin:accounts_user_change", args=[city.county.pk])).status_code == 200
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "chiping",
            "password1": "Chiping-2024!x",
            "password2": "Chiping-2024!x",
            "full_name": "王芳",
            "role": Role.COUNTY_OFFICER,
            "organization": city.guan_office.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="chiping")
    assert user.role == Role.COUNTY_OFFICER and user.organization == city.guan_office
    assert user.check_password("Chiping-2024!x")


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


def test_a_role_grant_is_recorded(client, city):
    client.force_login(city.admin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[city.leader.pk]),
        _change_form(city.leader, role=Role.COUNTY_OFFICER, organization=city.guan_office.pk),
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=city.leader)
    assert (grant.actor, grant.old_role, grant.new_role) == (city.admin, Role.LEADER, Role.COUNTY_OFFICER)
    assert (grant.old_organization, grant.new_organization) == (city.city_office, city.guan_office)
    city.leader.refresh_from_db()
    client.post(reverse("admin:accounts_user_change", args=[city.leader.pk]), _change_form(city.leader))
    assert RoleGrant.objects.filter(user=city.leader).count() == 1  # nothing changed, nothing recorded
    assert client.get(reverse("admin:accounts_rolegrant_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_rolegrant_change", args=[grant.pk])).status_code == 200
    assert client.post(reverse("admin:accounts_rolegrant_delete", args=[grant.pk])).status_code == 403


def test_a_new_account_is_a_recorded_grant(client, city):
    client.force_login(city.admin)
    client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "owner-new",
            "password1": "Owner-2024!x",
            "password2": "Owner-2024!x",
            "role": Role.PROJECT_OWNER,
            "organization": city.enterprise.pk,
        },
    )
    grant = RoleGrant.objects.get(user__username="owner-new")
    assert (grant.old_role, grant.new_role, grant.actor) == ("", Role.PROJECT_OWNER, city.admin)


def test_no_superuser_no_permission_rows_and_staff_follows_the_role(client, city):
    client.force_login(city.admin)
    client.post(
        reverse("admin:accounts_user_change", args=[city.county.pk]),
        _change_form(city.county, is_superuser="on", is_staff="on", user_permissions=["1"], groups=["1"]),
    )
    city.county.refresh_from_db()
    assert (city.county.is_superuser, city.county.is_staff) == (False, False)
    assert not city.county.user_permissions.exists()
    page = client.get(reverse("admin:accounts_user_change", args=[city.county.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    client.post(
        reverse("admin:accounts_user_change", args=[city.county.pk]),
        _change_form(city.county, role=Role.SYSTEM_ADMIN),
    )
    city.county.refresh_from_db()
    assert (city.county.is_superuser, city.county.is_staff) == (False, True)


def test_the_system_administrator_cannot_change_its_own_role(client, city):
    client.force_login(city.admin)
    page = client.get(reverse("admin:accounts_user_change", args=[city.admin.pk])).content.decode()
    assert 'name="role"' not in page
    client.post(
        reverse("admin:accounts_user_change", args=[city.admin.pk]),
        _change_form(city.admin, role=Role.CITY_ADMIN, is_superuser="on"),
    )
    city.admin.refresh_from_db()
    assert (city.admin.role, city.admin.is_superuser) == (Role.SYSTEM_ADMIN, False)
    assert not RoleGrant.objects.filter(user=city.admin).exists()


def test_domain_records_and_settings_are_not_in_the_admin(client, city):
    client.force_login(city.admin)
    ours = {
        model._meta.label for model in admin.site._registry if model.__module__.startswith("keyprojects.")
    }
    assert ours == {
        "accounts.Region",
        "accounts.Organization",
        "accounts.User",
        "accounts.ApiToken",
        "accounts.RoleGrant",
        "audit.AuditRecord",  # read only, for the audit administrator
        "audit.AuditAnchor",
    }
    assert client.get("/admin/metrics/metricssettings/").status_code == 404
    assert client.get("/admin/alerts/warningrules/").status_code == 404
