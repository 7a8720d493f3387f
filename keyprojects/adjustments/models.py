from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import Project

HISTORY_FIELD = "adjustment"


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


Status = ChangeRequestStatus


def status_text(value: object) -> str:
    """A request status kept in the project's history, as the reader reads it."""
    return str(dict(Status.choices).get(str(value), value or ""))


class ChangeRequest(CityOwned):
    """A request to change key figures of a listed project (年中调整), decided by the city office.

    `changes` lists `{"field": name, "old": value, "new": value}` with values as JSON (decimals and
    dates as strings), the old value being the project's when the request was made. A project has at
    most one pending request at a time."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    changes = models.JSONField(_("调整内容"), default=list)
    reason = models.CharField(_("调整理由"), max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_requests_made"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_requests_decided",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.CharField(_("审批意见"), max_length=255, blank=True)

    city_from = "project"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("调整申请")
        verbose_name_plural = _("调整申请")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "project"],
                condition=Q(status="pending"),
                name="adjustment_one_pending_per_project",
            )
        ]
        indexes = [models.Index(fields=["city", "status", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.project} #{self.pk}"
