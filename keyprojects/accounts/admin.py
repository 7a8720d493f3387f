"""Account management for the system administrator: regions, organisations, users and API tokens.

Projects, their records and every setting are deliberately absent: they are changed only through the
pages and the API, which apply the scoping rules, versions and history. The system administrator
cannot make anyone a superuser or hand out permission rows (staff status follows the role), cannot
change its own role, and every change of an account's role or organisation is recorded (`RoleGrant`). A
password it types (a new account's, or a reset) is a temporary one: its holder changes it at the next login.
"""

from typing import cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
)
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiToken, Organization, Region, Role, RoleGrant, User
from .passwords import password_set_by_admin

admin.site.site_header = _("重点项目平台 · 账号管理")
admin.site.site_title = _("账号管理")
admin.site.index_title = _("账号管理")


class SystemAdminAccess:
    """The system administrator's role, not per-model permission rows, grants account management."""

    def _allowed(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and (user.is_superuser or getattr(user, "role", None) == Role.SYSTEM_ADMIN)
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._allowed(request)


@admin.register(Region)
class RegionAdmin(SystemAdminAccess, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_gb_code", "sort_order")
    list_filter = ("kind", "is_gb_code")
    search_fields = ("code", "name")
    ordering = ("sort_order", "code")


@admin.register(Organization)
class OrganizationAdmin(SystemAdminAccess, admin.ModelAdmin):
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
class UserAdmin(SystemAdminAccess, DjangoUserAdmin):
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
        (_("状态"), {"fields": ("is_active", "must_change_password")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("人员信息"), {"fields": ("full_name", "post", "phone")}),
        (_("角色与机构"), {"fields": ("role", "organization")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return (*fields, "role", "organization")
        return fields

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).first() if obj.pk else None
        old_role = before.role if before else ""
        old_organization = before.organization if before else None
        actor = request.user
        assert isinstance(actor, User)
        services.check_account_change(actor=actor, user=obj, old_role=old_role)
        obj.is_staff = obj.role == Role.SYSTEM_ADMIN
        super().save_model(request, obj, form, change)
        services.role_grant_record(
            user=obj, actor=actor, old_role=old_role, old_organization=old_organization
        )


@admin.register(RoleGrant)
class RoleGrantAdmin(SystemAdminAccess, admin.ModelAdmin):
    """The record of role grants: read-only, as an audit trail must be."""

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

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(SystemAdminAccess, admin.ModelAdmin):
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
