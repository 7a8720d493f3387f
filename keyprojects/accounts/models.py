import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keyprojects.core.crypto import EncryptedCharField

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


ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
NO_SUPERUSER = _("生产环境不设超级用户：请用系统管理员、安全管理员、审计管理员三个账号分别管理。")


class AccountManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        if settings.KEYPROJECTS_PRODUCTION:
            raise CommandError(str(NO_SUPERUSER))
        return super().create_superuser(username, email, password, **extra)


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
    phone = EncryptedCharField(_("电话"), max_length=32, blank=True)
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("管理员设置的密码：本人下次登录时须先修改密码。"),
    )
    password_expires_at = models.DateTimeField(
        _("密码到期"), null=True, blank=True, editable=False, help_text=_("到期后须先修改密码；空：不过期")
    )

    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_administrator(self) -> bool:
        """One of the three separated administrators (三员)."""
        return self.role in ADMINISTRATOR_ROLES

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_expires_at = SecurityPolicy.current().password_expiry(timezone.now())

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuses a superuser in production; keeps the hash of each new password (`PasswordHistory`)."""
        if self.is_superuser and settings.KEYPROJECTS_PRODUCTION:
            raise PermissionDenied(NO_SUPERUSER)
        new_password = getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if new_password and self.has_usable_password():
            PasswordHistory.objects.create(user=self, encoded=self.password)

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


class PasswordHistory(models.Model):
    """The hash of each password an account has had, so that a new one is not one of the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    encoded = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]  # the order they were set in


def default_password_max_age() -> int:
    """90 days, unless the settings say otherwise (the tests turn it off but where they test it)."""
    return int(getattr(settings, "KEYPROJECTS_PASSWORD_MAX_AGE_DAYS", 90))


class SecurityPolicy(models.Model):
    """The password, lockout and session rules of the whole installation, set by the security
    administrator (one row; the assessors' defaults until it is first saved)."""

    version = models.PositiveIntegerField(_("版本"), default=1)
    password_min_length = models.PositiveSmallIntegerField(
        _("密码最短长度"), default=8, validators=[MinValueValidator(8), MaxValueValidator(64)]
    )
    password_classes = models.PositiveSmallIntegerField(
        _("密码须含字符类别数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("大写字母、小写字母、数字、符号四类中至少几类"),
    )
    password_history = models.PositiveSmallIntegerField(
        _("不得重复最近几次密码"), default=5, validators=[MaxValueValidator(24)]
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("密码有效期（天）"),
        default=default_password_max_age,
        validators=[MaxValueValidator(3650)],
        help_text=_("超过天数未修改须先修改密码；0：不过期"),
    )
    lockout_failures = models.PositiveSmallIntegerField(
        _("锁定前允许的失败次数"), default=5, validators=[MinValueValidator(3), MaxValueValidator(20)]
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        _("锁定时长（分钟）"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text=_("自这一轮第一次失败起计算，锁定期间再试不延长"),
    )
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("无操作退出（分钟）"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )

    class Meta:
        verbose_name = _("密码和登录策略")
        verbose_name_plural = _("密码和登录策略")

    def __str__(self) -> str:
        return str(_("密码和登录策略"))

    @classmethod
    def current(cls) -> "SecurityPolicy":
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def password_expiry(self, changed_at: datetime) -> datetime | None:
        return changed_at + timedelta(days=self.password_max_age_days) if self.password_max_age_days else None

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)


class AdministratorSession(models.Model):
    """The one session an administrator is signed in with: a new sign-in ends the one before."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="administrator_session")
    session_key = models.CharField(max_length=40)
    signed_in_at = models.DateTimeField(default=timezone.now)


class Lockout(AccessAttempt):
    """Failed sign-ins as django-axes counts them, for the security administrator to unlock."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败与锁定")
        verbose_name_plural = _("登录失败与锁定")

    def __str__(self) -> str:
        return str(_("%(name)s 的登录失败") % {"name": self.username})
