"""The administration of the three separated administrators (三员分立), each seeing only their part.

- The system administrator (`accounts.manage`): regions, organisations, accounts (details, status, a
  temporary password: its holder changes it at the next login) and API tokens; an account's role and
  organisation are shown, not editable.
- The security administrator (`security.manage`): an account's role and organisation (each change
  recorded, `RoleGrant`, read here), the password and sign-in policy, and the locked usernames to unlock.
- The audit administrator (`audit.read`): nothing here but what the audit trail adds.

Which part is whose is the access table's (`access.may`), and every save goes through the services
(`services.account_save`, `policy.security_policy_update`, `lockout.account_unlock`), which refuse the
same things here as on any page: no superuser, no permission rows, no one's own role or status.
Projects, their records and every other setting are absent: they are changed only through the pages
and the API, which apply the scoping rules, versions and history.
"""

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
)
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from keyprojects.core.settings_events import settings_history

from . import services
from .access import may
from .lockout import account_unlock, with_locked_until
from .models import ApiToken, Lockout, Organization, Region, RoleGrant, SecurityPolicy, User
from .passwords import password_set_by_admin
from .policy import POLICY_FIELDS, security_policy_update

admin.site.site_header = _("重点项目平台 · 账号管理")
admin.site.site_title = _("账号管理")
admin.site.index_title = _("账号管理")


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class RoleAccess:
    """Who opens this part of the admin: the role whose action it is (`action`), by the access table,
    not by permission rows. `read_only`: it may look, never add, change or delete."""

    action = "accounts.manage"
    read_only = False

    def _allowed(self, request: HttpRequest) -> bool:
        return may(request.user, self.action)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return self._allowed(request) and not self.read_only

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request) and not self.read_only

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request) and not self.read_only


@admin.register(Region)
class RegionAdmin(RoleAccess, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_gb_code", "sort_order")
    list_filter = ("kind", "is_gb_code")
    search_fields = ("code", "name")
    ordering = ("sort_order", "code")


@admin.register(Organization)
class OrganizationAdmin(RoleAccess, admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region", "credit_code")
    list_filter = ("kind", "region")
    search_fields = ("name", "short_name", "credit_code")
    list_select_related = ("region",)


class PasswordSetByAdmin:
    """A password the administrator types is a temporary one: its holder changes it at the next login."""

    cleaned_data: dict[str, object]

    def set_password_and_save(self, user: User, commit: bool = True, **kwargs: object) -> User:
        usable = self.cleaned_data["set_usable_password"]
        password_set_by_admin(user=user, password=str(self.cleaned_data["password1"]) if usable else None)
        if commit:
            user.save()
        return user


class UserCreationForm(PasswordSetByAdmin, AdminUserCreationForm):
    pass


class PasswordChangeForm(PasswordSetByAdmin, AdminPasswordChangeForm):
    # Django's own warning here is not marked for translation; the markup is what its script looks for.
    usable_password_help_text = cast(
        str,
        format_lazy(
            '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
            SetUnusablePasswordMixin.usable_password_help_text,
            _("停用后，该账号现有的密码将失效。"),
        ),
    )


@admin.register(User)
class UserAdmin(RoleAccess, DjangoUserAdmin):
    """The system administrator's accounts, the security administrator's grants: one list, each editing
    only their fields."""

    add_form = UserCreationForm
    change_password_form = PasswordChangeForm
    list_display = ("username", "full_name", "role", "organization", "is_active", "last_login")
    list_filter = ("role", "is_active", "organization__kind")
    search_fields = ("username", "full_name", "organization__name")  # the phone is encrypted at rest
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("人员信息"), {"fields": ("full_name", "post", "phone", "email")}),
        (_("角色与机构"), {"fields": ("role", "organization")}),
        (_("状态"), {"fields": ("is_active", "must_change_password", "password_expires_at")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("人员信息"), {"fields": ("full_name", "post", "phone")}),
    )
    readonly_fields = ("last_login", "date_joined", "password_expires_at")
    GRANTS = ("role", "organization")
    DETAILS = ("username", "full_name", "post", "phone", "email", "is_active", "must_change_password")

    def _allowed(self, request: HttpRequest) -> bool:
        return may(request.user, "accounts.manage") or may(request.user, "security.manage")  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return may(request.user, "accounts.manage")  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # an account is disabled, never deleted: its records keep their author

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or may(request.user, "accounts.manage"):  # type: ignore[arg-type]
            return fieldsets
        # the security administrator: no password form (a temporary password is the system administrator's)
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "password")})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        actor = _actor(request)
        if obj is not None and obj.pk == actor.pk:
            return (*fields, *self.GRANTS, "is_active")
        if not may(actor, "security.manage"):
            fields = (*fields, *self.GRANTS)
        if not may(actor, "accounts.manage"):
            fields = (*fields, *self.DETAILS)
        return fields

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        if not may(request.user, "accounts.manage"):  # type: ignore[arg-type]
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        try:
            services.account_save(actor=_actor(request), user=obj)
        except PermissionDenied as refused:
            # the form offered nothing the actor may not change; a crafted post is refused and said so
            self.message_user(request, str(refused), messages.ERROR)
            raise


@admin.register(RoleGrant)
class RoleGrantAdmin(RoleAccess, admin.ModelAdmin):
    """The record of role grants, the security administrator's: read-only, as an audit trail must be."""

    action = "security.manage"
    read_only = True

    list_display = (
        "created_at",
        "user",
        "old_role",
        "new_role",
        "old_organization",
        "new_organization",
        "actor",
    )
    list_filter = ("new_role",)
    search_fields = ("user__username", "actor__username")
    list_select_related = ("user", "actor", "old_organization", "new_organization")


@admin.register(ApiToken)
class ApiTokenAdmin(RoleAccess, admin.ModelAdmin):
    """Tokens are issued through the API (the raw value is shown once); here they can only be revoked."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "prefix", "name")
    list_select_related = ("user",)
    readonly_fields = ("user", "prefix", "name", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token.revoke()
        self.message_user(
            request,
            ngettext("已吊销 %(n)d 个令牌", "已吊销 %(n)d 个令牌", len(tokens)) % {"n": len(tokens)},
            messages.SUCCESS,
        )


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(RoleAccess, admin.ModelAdmin):
    """The one policy of the installation: its list opens it; each save recorded in the settings history."""

    action = "security.manage"
    fieldsets = (
        (
            _("密码"),
            {
                "fields": (
                    "password_min_length",
                    "password_classes",
                    "password_history",
                    "password_max_age_days",
                )
            },
        ),
        (_("登录锁定"), {"fields": ("lockout_failures", "lockout_minutes")}),
        (_("会话"), {"fields": ("session_idle_minutes",)}),
        (_("修改记录"), {"fields": ("history",)}),
    )
    readonly_fields = ("history",)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:accounts_securitypolicy_change", args=[1]))

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> SecurityPolicy | None:
        return SecurityPolicy.current() if object_id == "1" else None

    @admin.display(description=_("修改记录"))
    def history(self, policy: SecurityPolicy) -> str:
        rows = settings_history(record=policy) if policy.pk and not policy._state.adding else []
        if not rows:
            return str(_("尚未修改，使用默认值"))
        return format_html_join(
            "",
            "<div>{} {}：{} → {}（{}）</div>",
            (
                (
                    timezone.localtime(row.event.created_at).strftime("%Y-%m-%d %H:%M"),
                    row.field_label,
                    row.old,
                    row.new,
                    row.event.actor,
                )
                for row in rows
            ),
        )

    def save_model(self, request: HttpRequest, obj: SecurityPolicy, form: ModelForm, change: bool) -> None:
        security_policy_update(
            actor=_actor(request), values={name: getattr(obj, name) for name in POLICY_FIELDS}
        )


@admin.register(Lockout)
class LockoutAdmin(RoleAccess, admin.ModelAdmin):
    """Failed sign-ins by username, and the security administrator's unlock."""

    action = "security.manage"
    read_only = True
    list_display = ("name", "failures", "first_failure", "until", "address")
    search_fields = ("username",)
    actions = ("unlock",)
    ordering = ("username",)
    list_display_links = None

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request) and obj is None  # the list says all there is

    @admin.display(description=_("用户名"), ordering="username")
    def name(self, attempt: Lockout) -> str:
        return attempt.username or ""

    @admin.display(description=_("失败次数"))
    def failures(self, attempt: Lockout) -> int:
        return attempt.failures_since_start

    @admin.display(description=_("本轮首次失败"), ordering="attempt_time")
    def first_failure(self, attempt: Lockout) -> str:
        return timezone.localtime(attempt.attempt_time).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("来源地址"))
    def address(self, attempt: Lockout) -> str:
        return attempt.ip_address or ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Lockout]:
        return with_locked_until(super().get_queryset(request), policy=SecurityPolicy.current())

    @admin.display(description=_("锁定至"))
    def until(self, attempt: Any) -> str:
        until = attempt.locked_until
        return timezone.localtime(until).strftime("%Y-%m-%d %H:%M") if until else "—"

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request) and obj is None  # the list's action, not the row's form

    @admin.action(description=_("解锁所选账号"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[Lockout]) -> None:
        usernames = {name for name in queryset.values_list("username", flat=True) if name}
        account_unlock(actor=_actor(request), usernames=usernames)
        self.message_user(
            request, _("已解锁：%(names)s") % {"names": "、".join(sorted(usernames))}, messages.SUCCESS
        )
