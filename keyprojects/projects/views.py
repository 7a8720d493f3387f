"""The pages of the project registry. Views parse input and render; services and selectors decide."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keyprojects.accounts.models import User
from keyprojects.core.conflicts import merge, reapplied
from keyprojects.core.errors import ApplicationError, StaleVersionError
from keyprojects.core.forms import refused
from keyprojects.core.fragments import render_fragment
from keyprojects.core.htmx import render_page
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.paging import paginate
from keyprojects.core.rows import id_url
from keyprojects.core.rows import labels as choice_labels
from keyprojects.core.templatetags.money import wan

from . import permissions, selectors, services
from .dictionary import can_edit_dictionary
from .forms import FIELD_GROUPS, ProjectForm, TransitionForm, list_filters, model_field
from .list_actions import list_actions
from .models import DICTIONARY_KINDS, DictionaryKind, Project
from .sections import render_project_sections
from .vocabulary import Vocabulary, city_vocabulary

PAGE_SIZE = 50


MONEY_FIELDS = frozenset({"total_investment", "annual_investment"})
WIDE_FIELDS = frozenset({"scope", "remarks", "funding_sources", "annual_goal"})


LIST_LABELS = ("level", "stage", "pipeline")
# What a row of the list shows, read as plain values (no model instances).
LIST_VALUES = (
    "pk", "name", "code", "region__name", "owner__name", "level", "city_id", "category", "total_investment",
    "annual_investment", "planned_start", "stage", "pipeline",
)  # fmt: skip


@dataclass(frozen=True)
class ListRow:
    """A project of the list as its cells show it."""

    url: str
    name: str
    code: str | None
    region: str
    owner: str
    level: str
    category: str
    total_investment: str
    annual_investment: str
    planned_start: str
    stage: str
    stage_label: str
    pipeline: str
    pipeline_label: str


def _list_rows(values: Iterable[tuple[Any, ...]], words: Vocabulary) -> list[ListRow]:
    """The page's rows (`LIST_VALUES`) ready to show: the choice labels translated and the project page's
    address reversed once per page, not once per cell or row (`get_FOO_display` would rebuild and translate
    the whole choice list for every cell)."""
    values = list(values)
    labels = {name: choice_labels(model_field(name).flatchoices) for name in LIST_LABELS}
    words = words.covering(row[6] for row in values)
    project_url = id_url("projects:detail")
    return [
        ListRow(
            url=project_url(pk),
            name=name,
            code=code,
            region=region,
            owner=owner or "—",
            level=labels["level"].get(level, ""),
            category=words.label(city_id, DictionaryKind.CATEGORY, category),
            total_investment=wan(total),
            annual_investment=wan(annual),
            planned_start=f"{start:%Y-%m}" if start else "—",
            stage=stage,
            stage_label=labels["stage"].get(stage, ""),
            pipeline=pipeline,
            pipeline_label=labels["pipeline"].get(pipeline, ""),
        )
        for pk, name, code, region, owner, level, city_id, category, total, annual, start, stage, pipeline in values
    ]


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    value: str
    wide: bool


def _display(project: Project, name: str, user: User, words: Vocabulary) -> str:
    field = model_field(name)
    value = (
        permissions.contact_phone_for(user, project) if name == "contact_phone" else getattr(project, name)
    )
    if value in (None, "", []):
        return ""
    if name in DICTIONARY_KINDS:
        return words.text(project.city_id, DICTIONARY_KINDS[name], value)
    if field.choices:
        return str(getattr(project, f"get_{name}_display")())
    if name in MONEY_FIELDS:
        return wan(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _field_groups(project: Project, user: User) -> list[tuple[str, list[FieldRow]]]:
    words = city_vocabulary(project.city_id)
    return [
        (
            str(title),
            [
                FieldRow(
                    name,
                    str(model_field(name).verbose_name),
                    _display(project, name, user, words),
                    name in WIDE_FIELDS,
                )
                for name in names
            ],
        )
        for title, names in FIELD_GROUPS
    ]


@login_required
def project_list(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_project_access(request.user)
    words = city_vocabulary(request.user.city_id)  # the filter's categories and the rows' labels
    form, filters = list_filters(request.GET, user=request.user, words=words)
    projects = selectors.project_list(user=request.user, filters=filters)
    totals = selectors.project_totals(user=request.user, filters=filters, projects=projects)
    # already counted with the totals: spare the page a second COUNT
    page = paginate(request, projects.values_list(*LIST_VALUES), default=PAGE_SIZE, count=totals.count)
    page.object_list = _list_rows(page.object_list, words)
    context = {
        "form": form,
        "page": page,
        "rows": render_fragment("projects/list_rows.html", {"rows": page.object_list}),
        "totals": totals,
        "can_create": permissions.can_create_project(request.user),
        "can_edit_dictionary": can_edit_dictionary(request.user),
        "list_actions": list_actions(request),
    }
    partial = None if request.htmx.history_restore_request else "results"
    return render_page(request, "projects/list.html", context, partial=partial)


@login_required
def project_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    permissions.require_project_access(request.user)
    project = permissions.project_access(request.user, pk)
    context = {
        "project": project,
        "groups": _field_groups(project, request.user),
        "can_edit": permissions.can_edit_project(request.user, project),
        "history": selectors.project_history(project=project),
        "sections": render_project_sections(request, project),
    }
    return render(request, "projects/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_project_access(request.user)
    if not permissions.can_create_project(request.user):
        raise PermissionDenied(_("您无权新建项目"))
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"year": timezone.localdate().year},
    )
    extra: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        try:
            project = services.project_create(user=request.user, data=form.project_data())
        except ApplicationError as error:
            extra = refused(form, error)
        else:
            messages.success(request, _("项目“%(name)s”已创建") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None, **extra})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    permissions.require_project_access(request.user)
    project = permissions.project_access(request.user, pk)
    permissions.require_edit(request.user, project)
    data = reapplied(request.POST) if request.method == "POST" else None
    form = ProjectForm(data, user=request.user, project=project)
    extra: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        try:
            project = services.project_update(
                user=request.user,
                project_id=project.pk,
                data=form.project_data(),
                version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            # the latest version in the form, with what the user typed offered on top of it
            project = permissions.project_access(request.user, pk)
            latest = ProjectForm(user=request.user, project=project)
            found = merge(form, latest)
            savers = selectors.last_savers(project=project, fields=[f.name for f in found.saved])
            form, extra = latest, {"merge": found.saved_by(savers)}
        except ApplicationError as error:
            extra = refused(form, error)
        else:
            messages.success(request, _("项目“%(name)s”已保存") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    sections = render_project_sections(request, project, page="edit")
    return render(
        request, "projects/form.html", {"form": form, "project": project, "sections": sections, **extra}
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    permissions.require_project_access(request.user)
    project = permissions.project_access(request.user, pk)
    permissions.require_edit(request.user, project)
    form = TransitionForm(
        request.POST if request.method == "POST" else None, user=request.user, project=project
    )
    extra: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        try:
            project = services.project_transition(
                user=request.user, project_id=project.pk, version=form.cleaned_data["version"], **form.move()
            )
        except ApplicationError as error:
            extra = refused(form, error)
        else:
            messages.success(request, _("项目“%(name)s”的状态已变更") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/transition.html", {"form": form, "project": project, **extra})
