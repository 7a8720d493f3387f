"""Account management in /admin/: the system administrator's work, by role rather than permission rows."""

from django.urls import reverse

from keyprojects.accounts.models import ApiToken, Role, User


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
