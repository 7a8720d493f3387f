"""Writes of the task forces: formed and changed by the city office, members and projects of its city."""

from collections.abc import Iterable

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError, Message

from . import permissions, selectors
from .models import TaskForce


def _ids(values: Iterable[int]) -> list[int]:
    return sorted(set(values))


def _check(
    *, user: User, task_force: TaskForce, name: str, lead_organization_id: int | None,
    member_ids: list[int], project_ids: list[int],
) -> None:  # fmt: skip
    errors: dict[str, list[Message]] = {}
    city_id = user.city_id
    name = name.strip()
    if not name:
        errors["name"] = [_("请填写专班名称")]
    elif TaskForce.objects.filter(city_id=city_id, name=name).exclude(pk=task_force.pk).exists():
        errors["name"] = [_("本市已有同名的工作专班")]
    if lead_organization_id is None:
        errors["lead_organization"] = [_("请选择牵头单位")]
    elif not selectors.candidate_organizations(city_id=city_id).filter(pk=lead_organization_id).exists():
        errors["lead_organization"] = [_("牵头单位须是本市的机关或部门")]
    found = selectors.candidate_members(city_id=city_id).filter(pk__in=member_ids).count()
    if found != len(member_ids):
        errors["members"] = [_("专班成员须是本市在用的账号")]
    if selectors.candidate_projects(city_id=city_id).filter(pk__in=project_ids).count() != len(project_ids):
        errors["projects"] = [_("专班项目须是本市的项目")]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)


@transaction.atomic
def task_force_save(
    *,
    user: User,
    task_force_id: int | None = None,
    name: str,
    lead_organization_id: int | None,
    member_ids: Iterable[int] = (),
    project_ids: Iterable[int] = (),
) -> TaskForce:
    """Form a task force (no id) or set an existing one's name, lead organisation, members and projects."""
    permissions.require_manage(user)
    task_force = TaskForce() if task_force_id is None else _locked(user, task_force_id)
    members, projects = _ids(member_ids), _ids(project_ids)
    _check(
        user=user, task_force=task_force, name=name, lead_organization_id=lead_organization_id,
        member_ids=members, project_ids=projects,
    )  # fmt: skip
    assert lead_organization_id is not None  # checked above
    task_force.name = name.strip()
    task_force.lead_organization_id = lead_organization_id
    task_force.save()
    task_force.members.set(members)
    task_force.projects.set(projects)
    return task_force


def _locked(user: User, task_force_id: int) -> TaskForce:
    permissions.require_manage(user)
    task_force = permissions.visible_task_forces(user).select_for_update().filter(pk=task_force_id).first()
    if task_force is None:
        raise Http404(_("工作专班不存在"))
    return task_force


@transaction.atomic
def task_force_add_member(*, user: User, task_force_id: int, member_id: int) -> TaskForce:
    task_force = _locked(user, task_force_id)
    if not selectors.candidate_members(city_id=user.city_id).filter(pk=member_id).exists():
        raise ApplicationError(_("请修正标出的错误"), errors={"user": [_("专班成员须是本市在用的账号")]})
    task_force.members.add(member_id)
    return task_force


@transaction.atomic
def task_force_remove_member(*, user: User, task_force_id: int, member_id: int) -> TaskForce:
    task_force = _locked(user, task_force_id)
    task_force.members.remove(member_id)
    return task_force


@transaction.atomic
def task_force_add_project(*, user: User, task_force_id: int, project_id: int) -> TaskForce:
    task_force = _locked(user, task_force_id)
    if not selectors.candidate_projects(city_id=user.city_id).filter(pk=project_id).exists():
        raise ApplicationError(_("请修正标出的错误"), errors={"project": [_("专班项目须是本市的项目")]})
    task_force.projects.add(project_id)
    return task_force


@transaction.atomic
def task_force_remove_project(*, user: User, task_force_id: int, project_id: int) -> TaskForce:
    task_force = _locked(user, task_force_id)
    task_force.projects.remove(project_id)
    return task_force
