"""The audit trail (安全审计): one append-only table, each record chained to the one before by its hash.

No page, endpoint, admin or command edits or deletes a record: `save` of a stored record, `delete`, and the
queryset's `update` and `delete` refuse, and the database refuses UPDATE and DELETE through triggers
(migration 0002). `keyprojects audit archive` alone removes records, after writing them to a file, and only
those up to an `AuditAnchor` it wrote first (the triggers let through exactly those).
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", _("登录成功")
    SIGN_IN_FAILED = "sign_in_failed", _("登录失败")
    SIGN_OUT = "sign_out", _("退出登录")
    SESSION_TIMEOUT = "session_timeout", _("会话超时")
    LOCKOUT = "lockout", _("账号锁定")
    UNLOCK = "unlock", _("账号解锁")
    WRITE = "write", _("数据变更")
    DENIED = "denied", _("访问被拒绝")
    EXPORT = "export", _("导出下载")
    RIGHTS = "rights", _("权限变更")
    SETTINGS = "settings", _("设置变更")


class AppendOnlyError(Exception):
    """A write to the audit trail other than appending a record."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("审计记录只能追加，不能修改或删除")


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    update_or_create = _refuse


class AuditRecord(models.Model):
    seq = models.BigIntegerField(_("序号"), primary_key=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("类别"), max_length=20, choices=AuditKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    city = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("所属城市"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_model = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_pk = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_text = models.CharField(_("对象"), max_length=200, blank=True)
    method = models.CharField(_("方法"), max_length=10, blank=True)
    path = models.CharField(_("路径"), max_length=500, blank=True)
    old = models.JSONField(_("原值"), null=True, blank=True)
    new = models.JSONField(_("新值"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=80)
    hash = models.CharField(_("哈希"), max_length=80, unique=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["actor", "-seq"]),
            models.Index(fields=["kind", "-seq"]),
            models.Index(fields=["object_model", "object_pk"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()


class AuditAnchor(models.Model):
    """Where an archive cut the chain: the last archived record's sequence and hash, and the file that holds
    it. The chain left in the table verifies from the latest anchor."""

    seq = models.BigIntegerField(_("归档至序号"), unique=True)
    hash = models.CharField(_("该记录哈希"), max_length=80)
    records = models.PositiveIntegerField(_("归档条数"))
    before = models.DateTimeField(_("归档截止时间"))
    file = models.CharField(_("归档文件"), max_length=500)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计归档锚点")
        verbose_name_plural = _("审计归档锚点")

    def __str__(self) -> str:
        return f"≤#{self.seq} {self.file}"
