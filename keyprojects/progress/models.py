from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.city_settings import CitySettings
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import Project, money_field


class DispatchRound(CityOwned):
    """A monthly dispatch round (月度调度): one 期号 with its fill-in window and its projects."""

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    title = models.CharField(_("期号"), max_length=64)
    opens_on = models.DateField(_("填报开始"))
    closes_on = models.DateField(_("填报截止"))
    county_may_fill = models.BooleanField(_("允许县级代填"), default=False)
    projects = models.ManyToManyField(Project, related_name="dispatch_rounds", verbose_name=_("调度项目"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["city", "year", "month"], name="one_round_per_city_and_month")
        ]
        verbose_name = _("调度期")
        verbose_name_plural = _("调度期")

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class MonthlyReport(CityOwned):
    """One project's report for one month. Accepted reports are immutable: a correction is a new
    version (`supersedes` the previous one, which stops being current), and both stay visible.
    Derived figures (this year's cumulative, since start) are computed by selectors, never stored."""

    Status = ReportStatus

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    dispatch_round = models.ForeignKey(DispatchRound, on_delete=models.PROTECT, related_name="reports")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    construction = money_field(_("建筑工程（万元）"), default=0)
    installation = money_field(_("安装工程（万元）"), default=0)
    equipment = money_field(_("设备工器具购置（万元）"), default=0)
    other = money_field(_("其他费用（万元）"), default=0)
    total = money_field(_("本月完成投资（万元）"), default=0)
    progress_text = models.TextField(_("形象进度"), blank=True)
    problems = models.TextField(_("存在问题及困难"), blank=True)
    workers = models.PositiveIntegerField(_("在岗工人数"), default=0)
    override_reason = models.CharField(_("超总投资说明"), max_length=255, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(default=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField(_("更正原因"), max_length=255, blank=True)
    filled_on_behalf = models.BooleanField(_("县级代填"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=255, blank=True)

    class Meta:
        ordering = ["project", "month", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "project", "month"],
                condition=models.Q(is_current=True),
                name="one_current_report",
            ),
            models.UniqueConstraint(fields=["city", "project", "month", "version"], name="report_version"),
            models.UniqueConstraint(fields=["city", "supersedes"], name="one_correction_per_version"),
        ]
        indexes = [
            models.Index(fields=["project", "month"]),
            models.Index(fields=["dispatch_round", "status"]),
            models.Index(fields=["city", "month"]),
            # the review queue: a city's reports awaiting review, oldest first; and a city's reports of one
            # status in the API's order (newest month first)
            models.Index(fields=["city", "status", "submitted_at"]),
            models.Index(fields=["city", "status", "-month", "project", "-version"]),
        ]
        verbose_name = _("月度报告")
        verbose_name_plural = _("月度报告")


class FigureInForce(CityOwned):
    """An accepted report's investment over the days it was in force: from the day it was accepted
    until the day a newer version of the same month was accepted (open while it still is). Kept with
    every accepted report and rebuilt by `keyprojects rebuild` (`in_force.py`), so that the
    figures of any past date are one range condition, not a comparison of versions."""

    city_from = "report"

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    total = money_field(_("本月完成投资（万元）"), default=0)
    in_force_from = models.DateField()
    in_force_until = models.DateField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "report"], name="one_figure_per_report")]
        indexes = [
            # covers a project's figures of a year on a date: the rates sum them project by project
            models.Index(
                fields=["project", "month", "in_force_from", "in_force_until", "total"],
                name="figure_in_force_by_project",
            ),
            # covers a year's figures on a date city by city: a province's rates sum them per city
            models.Index(
                fields=["city", "month", "project", "in_force_from", "in_force_until", "total"],
                name="figure_in_force_by_month",
            ),
        ]


REPORT_FIGURES = (
    "construction",
    "installation",
    "equipment",
    "other",
    "total",
    "progress_text",
    "problems",
    "workers",
    "override_reason",
)  # what a submission snapshot keeps (ReportEvent.figures)


class ReportEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    RESUBMITTED = "resubmitted", _("重新提交")
    RETURNED = "returned", _("退回")
    ACCEPTED = "accepted", _("通过")
    CORRECTED = "corrected", _("更正")


class ReportEvent(CityOwned):
    """History of a report: submitted, returned (why), resubmitted, accepted, corrected (why). Each
    submission keeps the figures as sent, so a resubmitted report shows what changed since it was
    returned."""

    Kind = ReportEventKind

    city_from = "report"

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    figures = models.JSONField(
        null=True,
        blank=True,
        help_text="the figures as submitted, typed (keyprojects.core.history); on submissions",
    )
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ReportPhoto(CityOwned):
    city_from = "report"

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("现场照片"), upload_to="reports/%Y/%m/")
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True, help_text=_("取自照片EXIF"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    size = models.PositiveIntegerField(default=0)


class ReportDraft(CityOwned):
    """A month's report being written and not submitted: the form as last saved, typed or not, with the
    photos taken so far. One per project and month, shared by whoever fills it (on the phone or at the
    desk). It is counted nowhere (no rate, queue or lateness reads it) until `report_submit` turns it
    into a report and deletes it."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="report_drafts")
    dispatch_round = models.ForeignKey(DispatchRound, on_delete=models.CASCADE, related_name="drafts")
    month = models.DateField(_("月份"))
    fields = models.JSONField(default=dict, help_text="the form's values as typed, by field name")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "project", "month"], name="one_draft_per_project_month")
        ]
        verbose_name = _("报告草稿")
        verbose_name_plural = _("报告草稿")


class DraftPhoto(CityOwned):
    """A site photo uploaded to a draft; it becomes a `ReportPhoto` (the same file) on submission."""

    city_from = "draft"

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("现场照片"), upload_to="reports/%Y/%m/")
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["uploaded_at", "id"]


class ProjectBaseline(CityOwned):
    """Investment completed before the platform's dispatch history began (上年末累计完成投资)."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    completed_before = money_field(_("此前累计完成投资（万元）"), default=0)
    as_of = models.DateField(_("截至日期"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "project"], name="one_baseline_per_project")]


class ProgressSettings(CitySettings):
    """A city's settings of dispatch and statistics."""

    inclusion_threshold = money_field(_("纳统投资门槛（万元）"), default=500)
    photo_max_bytes = models.PositiveIntegerField(_("照片大小上限（字节）"), default=5 * 1024 * 1024)
    remind_days_before_close = models.PositiveSmallIntegerField(_("截止前提醒（天）"), default=3)

    class Meta:
        verbose_name = _("调度设置")
        constraints = [models.UniqueConstraint(fields=["city"], name="progress_settings_per_city")]
