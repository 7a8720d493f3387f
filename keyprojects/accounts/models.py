import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import CityOwned, city_field


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    ZONE = "zone", _("功能区")


class Region(models.Model):
    """An administrative area with its GB/T 2260 code (functional zones get local codes)."""

    Kind = RegionKind

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_gb_code = models.BooleanField(_("国标代码"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    path = models.CharField(
        _("路径"),
        max_length=255,
        db_index=True,
        editable=False,
        default="",
        help_text=_("自省级起的区划代码，如 370000/371500/"),
    )
    city = models.ForeignKey(
        "self",
        verbose_name=_("所属城市"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    former_codes = models.JSONField(
        _("曾用代码"),
        default=list,
        blank=True,
        help_text=_("区划调整前的代码，按原代码赋码的统一项目代码仍然有效"),
    )
    former_names = models.JSONField(
        _("曾用名"), default=list, blank=True, help_text=_("区划调整前的名称，历史记录中的旧名仍指向本区划")
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the materialized path and the city key; a moved or re-coded region carries its subtree."""
        before = Region.objects.filter(pk=self.pk).values_list("path", "city_id").first() if self.pk else None
        parent = self.parent
        self.path = f"{parent.path if parent else ''}{self.code}/"
        if self.kind != Region.Kind.CITY:
            self.city_id = parent.city_id if parent else None
        super().save(*args, **kwargs)
        if self.kind == Region.Kind.CITY and self.city_id != self.pk:
            self.city_id = self.pk
            Region.objects.filter(pk=self.pk).update(city=self.pk)
        if before is not None and before != (self.path, self.city_id):
            for child in self.children.all():
                child.parent = self
                child.save()

    def subtree(self) -> "models.QuerySet[Region]":
        """This region and every region below it, at any depth."""
        return Region.objects.filter(path__startswith=self.path)

    @property
    def codes(self) -> list[str]:
        """Its code and the codes it had before (GB/T 2260 re-codings)."""
        return [self.code, *self.former_codes]


class OrganizationKind(models.TextChoices):
    PROVINCE_OFFICE = "province_office", _("省发改委")
    CITY_OFFICE = "city_office", _("市重点项目办")
    COUNTY_OFFICE = "county_office", _("县级发改部门")
    DEPARTMENT = "department", _("职能部门")
    ENTERPRISE = "enterprise", _("企业")


class Organization(CityOwned):
    """An office, department or enterprise of one city; province-level offices have no city."""

    Kind = OrganizationKind

    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="organizations"
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    city = city_field(null=True)

    city_from = "region"

    class Meta:
        ordering = ["kind", "region__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="organization_name_per_city")]
        indexes = [models.Index(fields=["city", "kind"])]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    PROVINCE_OFFICER = "province_officer", _("省发改委")
    CITY_ADMIN = "city_admin", _("市重点项目办")
    COUNTY_OFFICER = "county_officer", _("县级项目专员")
    DEPARTMENT_OFFICER = "department_officer", _("部门专员")
    PROJECT_OWNER = "project_owner", _("项目单位")
    LEADER = "leader", _("领导")


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    post = models.CharField(_("职务"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("管理员设置的密码：本人下次登录时须先修改密码。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def city_id(self) -> int | None:
        """The user's tenant: its organisation's city (none for the province office and the unattached)."""
        return self.organization.city_id if self.organization is not None else None


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)

    def for_raw(self, raw: str) -> "ApiTokenQuerySet":
        return self.filter(key_hash=_hash_token(raw))


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the raw value is shown once. It ends
    `KEYPROJECTS_API_TOKEN_DAYS` after it is issued, when revoked, and when its holder's password changes
    or the account is disabled (`accounts.tokens`)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    name = models.CharField(_("名称"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @classmethod
    def issue(cls, *, user: User, name: str = "") -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        expires_at = timezone.now() + timedelta(days=settings.KEYPROJECTS_API_TOKEN_DAYS)
        token = cls.objects.create(
            user=user, key_hash=_hash_token(raw), prefix=raw[:8], name=name, expires_at=expires_at
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class RoleGrant(models.Model):
    """One change of an account's role or organisation (a grant of access to projects): who, when, old, new.

    Written by `accounts.services.role_grant_record` wherever an account's role is set: the admin,
    the demo. `actor` is empty when a command did it."""

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="role_grants"
    )
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_role = models.CharField(_("原角色"), max_length=24, choices=Role.choices, blank=True)
    new_role = models.CharField(_("新角色"), max_length=24, choices=Role.choices, blank=True)
    old_organization = models.ForeignKey(
        Organization,
        verbose_name=_("原机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_organization = models.ForeignKey(
        Organization,
        verbose_name=_("新机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("角色授予记录")
        verbose_name_plural = _("角色授予记录")
        indexes = [models.Index(fields=["user", "-created_at"])]
