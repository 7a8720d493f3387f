"""The task force form. It only parses input; the services check every rule."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Organization, User
from keyprojects.core.forms import BootstrapForm
from keyprojects.projects.models import Project

from . import selectors
from .models import TaskForce


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.organization} · {obj}"


class ProjectChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.region} · {obj.name}"


class TaskForceForm(BootstrapForm):
    wide_fields = frozenset({"members", "projects"})
    label_model = TaskForce

    name = forms.CharField(label=_("专班名称"), max_length=128)
    lead_organization = forms.ModelChoiceField(label=_("牵头单位"), queryset=Organization.objects.none())
    members = MemberChoice(
        label=_("专班成员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("可多选：县（市、区）、部门、项目单位的人员；成员可以查看专班项目，并按其角色办理"),
    )
    projects = ProjectChoice(
        label=_("专班项目"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(
        self, *args: Any, city_id: int | None, task_force: TaskForce | None = None, **kwargs: Any
    ) -> None:
        if task_force is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": task_force.name,
                    "lead_organization": task_force.lead_organization_id,
                    "members": [m.pk for m in task_force.members.all()],
                    "projects": [p.pk for p in task_force.projects.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["lead_organization"].queryset = selectors.candidate_organizations(city_id=city_id)  # type: ignore[attr-defined]
        self.fields["members"].queryset = selectors.candidate_members(city_id=city_id)  # type: ignore[attr-defined]
        self.fields["projects"].queryset = selectors.candidate_projects(city_id=city_id)  # type: ignore[attr-defined]
        self.style_widgets()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "lead_organization_id": data["lead_organization"].pk,
            "member_ids": [m.pk for m in data["members"]],
            "project_ids": [p.pk for p in data["projects"]],
        }
