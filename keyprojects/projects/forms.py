"""Forms of the project pages. They only parse input; every rule is checked by `services`."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.accounts.models import Organization, Region, Role, User
from keyprojects.chains.selectors import chain_list
from keyprojects.core.conflicts import BASE, track_base
from keyprojects.core.forms import BootstrapForm, DateField, bounded_formfield

from . import lifecycle, permissions
from .models import DICTIONARY_FIELDS, DictionaryKind, Level, ListKind, Pipeline, Project, Stage
from .selectors import ProjectFilters, list_years
from .services import CREATE_FIELDS, EDITABLE_FIELDS
from .vocabulary import Vocabulary, city_vocabulary

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIELD_GROUPS: list[tuple[Promise, tuple[str, ...]]] = [
    (
        gettext_lazy("基本信息"),
        (
            "code", "name", "owner", "responsible_unit", "region", "location", "latitude", "longitude",
            "level", "category", "industry", "chain", "nature", "approval_type", "approval_number", "land_area",
            "scope", "remarks",
        ),
    ),
    (gettext_lazy("投资"), ("total_investment", "annual_investment", "funding_sources")),
    (gettext_lazy("进度与日期"), ("planned_start", "planned_end", "actual_start", "actual_end", "annual_goal")),
    (gettext_lazy("联系与包保"), ("contact_name", "contact_phone", "leader", "leader_name", "leader_post", "task_force")),
    (gettext_lazy("库与阶段"), ("year", "list_kind", "pipeline", "stage", "stage_reason", "is_public")),
]  # fmt: skip
WIDE_FIELDS = frozenset({"name", "scope", "remarks", "funding_sources", "annual_goal", "location"})


def _widgets() -> dict[str, type[forms.Widget] | forms.Widget]:
    return {
        "scope": forms.Textarea(attrs={"rows": 3}),
        "remarks": forms.Textarea(attrs={"rows": 2}),
    }


def model_field(name: str) -> models.Field:
    field = Project._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


class ProjectForm(BootstrapForm):
    """Create or edit a project, with only the fields this user may set."""

    wide_fields = WIDE_FIELDS
    label_model = Project
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, project: Project | None = None, **kwargs: Any) -> None:
        self.project = project
        if project is None:
            # On creation, the service places the owner's projects under its enterprise itself.
            locked = permissions.locked_fields(user)
            names = [n for n in CREATE_FIELDS if n not in locked]
        else:
            locked = permissions.locked_fields(user, project)
            names = [n for n in EDITABLE_FIELDS if n not in locked]
            kwargs.setdefault("initial", {**model_to_dict(project, fields=names), "version": project.version})
        super().__init__(*args, **kwargs)
        fields = fields_for_model(
            Project, fields=names, widgets=_widgets(), formfield_callback=bounded_formfield
        )
        city_id = project.city_id if project is not None else user.city_id
        fields.update(_dictionary_fields(fields, city_vocabulary(city_id), city_id, project))
        if "owner" in fields:
            owner_field = fields["owner"]
            assert isinstance(owner_field, forms.ModelChoiceField)
            owner_field.queryset = Organization.objects.filter(
                city_id=user.city_id, kind=Organization.Kind.ENTERPRISE
            )
        if "chain" in fields:
            chain_field = fields["chain"]
            assert isinstance(chain_field, forms.ModelChoiceField)
            chain_field.queryset = chain_list(user=user)
        if "leader" in fields:
            leader_field = fields["leader"]
            assert isinstance(leader_field, forms.ModelChoiceField)
            leader_field.queryset = User.objects.filter(
                role=Role.LEADER, is_active=True, organization__city_id=user.city_id
            ).order_by("full_name", "pk")
            leader_field.help_text = _("选择领导的账号后，包保责任领导即为该账号的姓名，问题提级时通知该领导")
        if "region" in fields:
            region_field = fields["region"]
            assert isinstance(region_field, forms.ModelChoiceField)
            regions = permissions.creatable_regions(user)
            if project is not None:  # a task force's member keeps a project of another county where it is
                regions = regions | Region.objects.filter(pk=project.region_id)
            region_field.queryset = regions
        if "stage" in fields:
            stage_field = fields["stage"]
            assert isinstance(stage_field, forms.ChoiceField)
            stage_field.choices = [(v, lbl) for v, lbl in Stage.choices if v not in lifecycle.REASON_STAGES]
        if "code" in fields:
            fields["code"].help_text = _("已赋码项目填写，形如 2403-371526-04-01-52817X；谋划阶段可不填")
        self.fields.update(fields)
        self.style_widgets()
        if project is not None:
            track_base(self)

    def groups(self) -> list[tuple[Promise, list[forms.BoundField]]]:
        """The form's fields in the groups of the project page, skipping empty groups."""
        result = []
        for title, names in FIELD_GROUPS:
            bound = [self[name] for name in names if name in self.fields]
            if bound:
                result.append((title, bound))
        return result

    def project_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("version", BASE)}


def _dictionary_fields(
    fields: dict[str, forms.Field], words: Vocabulary, city_id: int | None, project: Project | None
) -> dict[str, forms.Field]:
    """The city's active entries of each kind, and the project's own even if since deactivated."""
    made: dict[str, forms.Field] = {}
    for kind, name in DICTIONARY_FIELDS.items():
        if name not in fields:
            continue
        current = getattr(project, name) if project is not None else None
        kept = current if isinstance(current, list) else [current] if current else []
        choices = words.choices(city_id, kind, keep=kept)
        label = model_field(name).verbose_name
        if name == "funding_sources":
            made[name] = forms.MultipleChoiceField(
                label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
            )
        else:
            blank = not fields[name].required
            made[name] = forms.ChoiceField(
                label=label, choices=[("", "---------")] * blank + choices, required=not blank
            )
    return made


class TransitionForm(BootstrapForm):
    """Move a project to another stage and/or pipeline, offering only the moves this user may make."""

    wide_fields = frozenset({"reason"})
    label_model = Project

    stage = forms.ChoiceField(label=gettext_lazy("变更建设阶段为"), required=False)
    pipeline = forms.ChoiceField(label=gettext_lazy("变更入库状态为"), required=False)
    actual_start = DateField(label=gettext_lazy("实际开工时间"), required=False)
    actual_end = DateField(label=gettext_lazy("实际竣工时间"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("变更原因"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("暂缓、退出、回退阶段或调出项目库时必须填写"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, project: Project, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": project.version,
                "actual_start": project.actual_start,
                "actual_end": project.actual_end,
            },
        )
        super().__init__(*args, **kwargs)
        unchanged = [("", _("不变更"))]
        stage_field = self.fields["stage"]
        pipeline_field = self.fields["pipeline"]
        assert isinstance(stage_field, forms.ChoiceField) and isinstance(pipeline_field, forms.ChoiceField)
        stage_field.choices = unchanged + [
            (value, label)
            for value, label in Stage.choices
            if value != project.stage and _allowed(user, project, stage=value, pipeline=None)
        ]
        pipeline_field.choices = unchanged + [
            (value, label)
            for value, label in Pipeline.choices
            if value != project.pipeline and _allowed(user, project, stage=None, pipeline=value)
        ]
        if len(pipeline_field.choices) == 1:
            del self.fields["pipeline"]

    def move(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "stage": data.get("stage") or None,
            "pipeline": data.get("pipeline") or None,
            "reason": data.get("reason", ""),
            "actual_start": data.get("actual_start"),
            "actual_end": data.get("actual_end"),
        }


def _allowed(user: User, project: Project, *, stage: str | None, pipeline: str | None) -> bool:
    try:
        permissions.check_move(user, project, stage=stage, pipeline=pipeline)
    except PermissionDenied:
        return False
    return True


SORT_CHOICES = [
    ("investment", gettext_lazy("总投资从高到低")),
    ("-investment", gettext_lazy("总投资从低到高")),
    ("annual", gettext_lazy("年度计划投资从高到低")),
    ("name", gettext_lazy("项目名称")),
    ("start", gettext_lazy("计划开工时间")),
    ("region", gettext_lazy("所属区域")),
    ("updated", gettext_lazy("最近更新")),
]


EVERYTHING = ("", gettext_lazy("全部"))


def _select(label: "StrOrPromise", choices: list[tuple[str, Any]] | None = None) -> forms.ChoiceField:
    """A select of the filters with the choices it always offers (those that are the user's are set by the
    form)."""
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices or (),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


def search_field() -> forms.CharField:
    """The search box of every list of projects or of their rows (`selectors.project_search_q` reads it)."""
    attrs = {
        "class": "form-control form-control-sm",
        "placeholder": gettext_lazy("名称、代码、单位、地点或拼音"),
        "type": "search",
    }
    return forms.CharField(label=gettext_lazy("搜索"), required=False, widget=forms.TextInput(attrs=attrs))


class ProjectFilterForm(forms.Form):
    """The filters of the project list, as selects; blank means "all"."""

    q = search_field()
    region = _select(gettext_lazy("所属区域"))
    level = _select(gettext_lazy("项目级别"), [EVERYTHING, *Level.choices])
    category = _select(gettext_lazy("项目类别"))
    chain = _select(gettext_lazy("产业链"))
    stage = _select(gettext_lazy("建设阶段"), [EVERYTHING, *Stage.choices])
    pipeline = _select(gettext_lazy("入库状态"), [EVERYTHING, *Pipeline.choices])
    list_kind = _select(gettext_lazy("项目类型"), [EVERYTHING, *ListKind.choices])
    year = _select(gettext_lazy("年度"))
    sort = _select(gettext_lazy("排序"), SORT_CHOICES)

    def __init__(self, *args: Any, user: User, years: list[int], words: Vocabulary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, Any]]] = {
            "region": [(r.code, r.name) for r in permissions.creatable_regions(user)],
            "chain": list(chain_list(user=user).values_list("code", "name")),
            "year": [(str(y), str(y)) for y in years],
            "category": list(words.labels(user.city_id, DictionaryKind.CATEGORY).items()),
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [EVERYTHING, *options]


def list_filters(
    data: QueryDict, *, user: User, words: Vocabulary
) -> tuple[ProjectFilterForm, ProjectFilters]:
    """The list's filter form for the query `data`, and the filters it applies: a value no filter offers is
    named beside it and not applied. The list page and its export read their slice through this (`words`:
    the user's city's dictionary, which they read again for their rows)."""
    form = ProjectFilterForm(data or None, user=user, years=list_years(user=user), words=words)
    query = data.copy()
    if form.is_bound and not form.is_valid():
        for name in form.errors:
            query.pop(name, None)
    return form, ProjectFilters.from_mapping(query)
