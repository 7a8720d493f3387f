"""Blockers (难点堵点卡点) raised on a project, followed through acceptance, assignment to one responsible
department, answers, resolution and the owner's rating; the coordination meetings (问题会商) that take
them up, and the decisions they charge departments with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.city_settings import CitySettings
from keyprojects.accounts.models import Organization
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.progress.models import MonthlyReport
from keyprojects.projects.models import Project


class BlockerCategory(models.TextChoices):
    # Blocker…: each enum of the API's document has a name of its own
    LAND = "land", _("土地")
    PLANNING = "planning", _("规划")
    ENVIRONMENT = "environment", _("环评")
    ENERGY = "energy", _("能耗")
    FUNDS = "funds", _("资金")
    APPROVAL = "approval", _("手续审批")
    UTILITIES = "utilities", _("水电气暖")
    LABOUR = "labour", _("用工")
    DEMOLITION = "demolition", _("拆迁")
    OTHER = "other", _("其他")


Category = BlockerCategory


class BlockerStatus(models.TextChoices):
    RAISED = "raised", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结待评价")
    CLOSED = "closed", _("已关闭")
    RETURNED = "returned", _("已退回")


Status = BlockerStatus


OPEN = frozenset({Status.ASSIGNED, Status.IN_PROGRESS})  # with a department and a deadline running


class BlockerLevel(models.TextChoices):
    COUNTY = "county", _("县级协调")
    CITY = "city", _("市协调调度会")
    LEADER = "leader", _("市领导")


Level = BlockerLevel


class BlockerRating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


Rating = BlockerRating


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    RETURN = "return", _("退回")
    ASSIGN = "assign", _("交办")
    ANSWER = "answer", _("答复进展")
    RESOLVE = "resolve", _("办结")
    RATE = "rate", _("评价")
    ESCALATE = "escalate", _("提级协调")
    INSTRUCT = "instruct", _("批示")


DEFAULT_DEADLINES = {
    Category.LAND: 15,
    Category.PLANNING: 10,
    Category.ENVIRONMENT: 15,
    Category.ENERGY: 15,
    Category.FUNDS: 20,
    Category.APPROVAL: 5,
    Category.UTILITIES: 10,
    Category.LABOUR: 10,
    Category.DEMOLITION: 20,
    Category.OTHER: 10,
}


def default_deadlines() -> dict[str, int]:
    return {str(k): v for k, v in DEFAULT_DEADLINES.items()}


def default_ladder() -> list[str]:
    return [Level.COUNTY, Level.CITY, Level.LEADER]


class BlockerSettings(CitySettings):
    """A city's rules for blockers: the default deadline per category, when an open blocker counts as
    due soon, how long it may stay overdue at one level before it climbs, and the ladder it climbs."""

    deadline_workdays = models.JSONField(_("各类问题默认办理时限（工作日）"), default=default_deadlines)
    due_soon_workdays = models.PositiveSmallIntegerField(_("临期提醒（工作日）"), default=2)
    escalate_after_workdays = models.PositiveSmallIntegerField(_("逾期多少个工作日自动提级"), default=3)
    ladder = models.JSONField(_("提级顺序"), default=default_ladder)

    class Meta:
        verbose_name = _("问题协调设置")
        constraints = [models.UniqueConstraint(fields=["city"], name="blocker_settings_per_city")]

    def deadline_for(self, category: str) -> int:
        return int(self.deadline_workdays.get(category, DEFAULT_DEADLINES.get(category, 10)))  # type: ignore[call-overload]

    def next_level(self, level: str) -> str | None:
        ladder = list(self.ladder)
        if level not in ladder:
            return None
        at = ladder.index(level)
        return ladder[at + 1] if at + 1 < len(ladder) else None


class Blocker(CityOwned):
    """One difficulty a project meets, followed until its owner says it is solved."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="blockers")
    category = models.CharField(_("问题类别"), max_length=16, choices=Category.choices)
    description = models.TextField(_("问题描述"))
    request = models.TextField(_("诉求"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RAISED)
    level = models.CharField(_("协调层级"), max_length=16, choices=Level.choices, default=Level.COUNTY)
    level_since = models.DateField(_("提级日期"), null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("反映时间"), auto_now_add=True)
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("来源月报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        Organization,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blockers",
    )
    co_departments = models.ManyToManyField(
        Organization, verbose_name=_("协办单位"), blank=True, related_name="co_handled_blockers"
    )
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    deadline_workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    deadline = models.DateField(_("办结期限"), null=True, blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("协调领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalated_blockers",
    )
    instruction_pending = models.BooleanField(_("批示待答复"), default=False)
    version = models.PositiveIntegerField(default=1)

    city_from = "project"

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("难点堵点问题")
        verbose_name_plural = _("难点堵点问题")
        indexes = [
            models.Index(fields=["city", "status", "deadline"]),
            models.Index(fields=["city", "department", "status"]),
            models.Index(fields=["city", "-raised_at", "id"], name="blocker_city_raised"),
            models.Index(fields=["project", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_category_display()} #{self.pk}"


class BlockerEvent(CityOwned):
    """One step of a blocker: who, when, why, and what it set (typed values, `core.history`)."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("反映问题")
        ACCEPTED = "accepted", _("受理")
        RETURNED = "returned", _("退回")
        ASSIGNED = "assigned", _("交办")
        ANSWERED = "answered", _("答复进展")
        RESOLVED = "resolved", _("办结")
        RATED = "rated", _("评价")
        REOPENED = "reopened", _("重新办理")
        CLOSED = "closed", _("关闭")
        ESCALATED = "escalated", _("提级协调")
        INSTRUCTED = "instructed", _("领导批示")
        OVERDUE = "overdue", _("逾期")
        ON_AGENDA = "on_agenda", _("列入协调调度会")

    blocker = models.ForeignKey(Blocker, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # none: the platform itself (an overdue blocker climbing the ladder)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("说明"), blank=True)
    values = models.JSONField(null=True, blank=True)

    city_from = "blocker"

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["blocker", "created_at"])]


class Meeting(CityOwned):
    """A city coordination meeting (市重点项目协调调度会) and the blockers on its agenda."""

    title = models.CharField(_("会议名称"), max_length=128)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=128, blank=True)
    chair = models.CharField(_("主持人"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    blockers = models.ManyToManyField(Blocker, through="AgendaItem", related_name="meetings")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("协调调度会")
        verbose_name_plural = _("协调调度会")
        constraints = [
            models.UniqueConstraint(fields=["city", "title", "held_on"], name="meeting_per_city_day")
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(CityOwned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    blocker = models.ForeignKey(Blocker, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(default=1)

    city_from = "meeting"

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "meeting", "blocker"], name="agenda_blocker_once")
        ]


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("落实中")
    DONE = "done", _("已落实")


class Decision(CityOwned):
    """A decision of a meeting (会议纪要事项): what, which department is charged with it, by when;
    followed until the department reports it done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    blocker = models.ForeignKey(
        Blocker, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField(_("议定事项"))
    department = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="decisions"
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    done_on = models.DateField(_("落实日期"), null=True, blank=True)
    done_note = models.TextField(_("落实情况"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    city_from = "meeting"

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        indexes = [models.Index(fields=["city", "department", "status"])]


class BlockerAttachment(CityOwned):
    """A file given with a blocker when it was raised (a letter, a drawing, a photo); served only to those
    who see the blocker."""

    blocker = models.ForeignKey(Blocker, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="blockers/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    city_from = "blocker"

    class Meta:
        ordering = ["id"]
