"""Supervision notices (督办单): the city office charges a county or a department with a red warning, an
overdue blocker or a meeting decision past its date, by a deadline; the receiver answers, and the city
office accepts the answer or sends it back."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Organization
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.alerts.models import ProjectWarning
from keyprojects.blockers.models import Blocker, Decision
from keyprojects.projects.models import Project


class NoticeSource(models.TextChoices):
    WARNING = "warning", _("红灯预警")
    BLOCKER = "blocker", _("逾期问题")
    DECISION = "decision", _("会议议定事项")


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("待答复")
    ANSWERED = "answered", _("已答复待审核")
    RETURNED = "returned", _("退回重新答复")
    ACCEPTED = "accepted", _("已办结")


class NoticeAction(models.TextChoices):
    ANSWER = "answer", _("答复")
    ACCEPT = "accept", _("认可答复")
    RETURN = "return", _("退回")


AWAITING = frozenset(
    {NoticeStatus.ISSUED, NoticeStatus.RETURNED}
)  # the receiver's turn, the deadline running


class SupervisionNotice(CityOwned):
    """One supervision notice: what the receiver must do, by when, and the record it comes from."""

    source = models.CharField(_("督办来源"), max_length=16, choices=NoticeSource.choices)
    warning = models.ForeignKey(
        ProjectWarning, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    blocker = models.ForeignKey(Blocker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="supervision_notices"
    )
    receiver = models.ForeignKey(
        Organization, verbose_name=_("督办对象"), on_delete=models.PROTECT, related_name="supervision_notices"
    )
    origin = models.TextField(_("督办依据"), help_text=_("下发时来源记录的内容"))
    subject = models.TextField(_("督办事项"))
    deadline_workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    deadline = models.DateField(_("答复期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("督办日期"))
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    accepted_on = models.DateField(_("办结日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    city_from = "receiver"

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        indexes = [
            models.Index(fields=["city", "status", "deadline"]),
            models.Index(fields=["city", "receiver", "status"]),
            models.Index(fields=["city", "-issued_on", "id"], name="notice_city_issued"),
        ]

    def __str__(self) -> str:
        return _("督办单 #%(n)s") % {"n": self.pk}


class NoticeEvent(CityOwned):
    """One step of a notice: who, when, what was said, and what it set (typed values, `core.history`)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("下发督办")
        ANSWERED = "answered", _("答复")
        RETURNED = "returned", _("退回")
        ACCEPTED = "accepted", _("认可办结")
        OVERDUE = "overdue", _("逾期未答复")

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # none: the platform itself (the daily watch)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("说明"), blank=True)
    values = models.JSONField(null=True, blank=True)

    city_from = "notice"

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["notice", "created_at"])]
