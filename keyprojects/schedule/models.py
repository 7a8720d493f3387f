from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.city_settings import CitySettings
from keyprojects.accounts.models import Organization
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import ApprovalType, Project


class NodeCode(models.TextChoices):
    """The milestone nodes of the approval and building path, in their usual order."""

    PROJECT_APPROVAL = "project_approval", _("立项（审批/核准/备案）")
    LAND_PREAPPROVAL = "land_preapproval", _("用地预审与选址")
    LAND_SUPPLY = "land_supply", _("土地供应")
    LAND_PLANNING_PERMIT = "land_planning_permit", _("建设用地规划许可")
    WORKS_PLANNING_PERMIT = "works_planning_permit", _("建设工程规划许可")
    ENVIRONMENT = "environment", _("环评批复")
    ENERGY = "energy", _("节能审查")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")
    START = "start", _("开工")
    MAIN_WORKS_DONE = "main_works_done", _("主体完工")
    ACCEPTANCE = "acceptance", _("竣工验收")
    PRODUCTION = "production", _("投产")
    CAPACITY = "capacity", _("达产")
    OTHER = "other", _("其他")


class TemplateKind(models.TextChoices):
    INDUSTRIAL = "industrial", _("产业类")
    INFRASTRUCTURE = "infrastructure", _("基础设施类")


class NodeTemplate(CityOwned):
    """The nodes a kind of project goes through: one per approval type and project kind in each city."""

    name = models.CharField(_("模板名称"), max_length=64)
    approval_type = models.CharField(_("立项类型"), max_length=16, choices=ApprovalType.choices)
    kind = models.CharField(_("项目类型"), max_length=16, choices=TemplateKind.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["approval_type", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "approval_type", "kind"], name="one_template_per_city_and_type"
            )
        ]
        verbose_name = _("节点模板")
        verbose_name_plural = _("节点模板")

    def __str__(self) -> str:
        return self.name


class TemplateNode(CityOwned):
    city_from = "template"

    template = models.ForeignKey(NodeTemplate, on_delete=models.CASCADE, related_name="nodes")
    order = models.PositiveSmallIntegerField(_("顺序"))
    code = models.CharField(_("节点"), max_length=32, choices=NodeCode.choices)
    name = models.CharField(_("节点名称"), max_length=64)
    offset_days = models.IntegerField(
        _("相对计划开工的天数"), default=0, help_text=_("负数表示在计划开工之前，竣工类节点相对计划竣工")
    )
    relative_to_end = models.BooleanField(_("相对计划竣工"), default=False)
    department = models.ForeignKey(
        Organization,
        verbose_name=_("默认责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT},
    )

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["city", "template", "order"], name="template_node_order")
        ]


class PlanNode(CityOwned):
    """One dated node of a project's plan. Its status is computed, never typed."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_nodes")
    order = models.PositiveSmallIntegerField(_("顺序"))
    code = models.CharField(_("节点"), max_length=32, choices=NodeCode.choices)
    name = models.CharField(_("节点名称"), max_length=64)
    planned_date = models.DateField(_("计划完成时间"))
    actual_date = models.DateField(_("实际完成时间"), null=True, blank=True)
    department = models.ForeignKey(
        Organization,
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_nodes",
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT},
    )
    evidence_number = models.CharField(_("批复文号"), max_length=128, blank=True)
    evidence_file = models.FileField(_("证明材料"), upload_to="evidence/%Y/%m/", blank=True)
    remarks = models.CharField(_("备注"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["project", "order"]
        indexes = [
            # the queues' open nodes in their order whole (planned date, then project and order), so that their
            # first page is read from the index in order, without sorting every open node of the city or the
            # department: partial, as PostgreSQL does not take `actual_date IS NULL` as fixing that column and
            # would not read an index on (city, actual_date, planned_date, …) in the planned dates' order
            models.Index(
                fields=["department", "planned_date", "project", "order"],
                condition=models.Q(actual_date__isnull=True),
                name="open_nodes_by_department",
            ),
            models.Index(
                fields=["city", "planned_date", "project", "order"],
                condition=models.Q(actual_date__isnull=True),
                name="open_nodes_by_city",
            ),
            models.Index(fields=["project", "order"]),
        ]
        verbose_name = _("计划节点")
        verbose_name_plural = _("计划节点")

    def __str__(self) -> str:
        return self.name


class NodeEventKind(models.TextChoices):
    PLAN_CREATED = "plan_created", _("生成节点计划")
    UPDATED = "updated", _("修改节点")


class NodeEvent(CityOwned):
    """One recorded change of a plan: its creation, or one field of one node (who, when, from, to)."""

    city_from = "project"

    Kind = NodeEventKind

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="node_events")
    node = models.ForeignKey(PlanNode, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    field = models.CharField(max_length=32, blank=True)
    old = models.JSONField(null=True, blank=True, help_text="typed value (keyprojects.core.history)")
    new = models.JSONField(null=True, blank=True, help_text="typed value (keyprojects.core.history)")
    reason = models.CharField(_("原因"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="node_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    @property
    def field_label(self) -> str:
        return (
            str(getattr(PlanNode._meta.get_field(self.field), "verbose_name", self.field))
            if self.field
            else ""
        )


class ScheduleSettings(CitySettings):
    """A city's settings of the plans."""

    due_soon_workdays = models.PositiveSmallIntegerField(_("临期提醒（工作日）"), default=5)

    class Meta:
        verbose_name = _("节点计划设置")
        constraints = [models.UniqueConstraint(fields=["city"], name="schedule_settings_per_city")]
