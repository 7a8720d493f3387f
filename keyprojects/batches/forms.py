"""The batch form. It only parses input; the service checks every rule."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import BootstrapForm, DateField
from keyprojects.projects.models import Project

from .models import Batch, BatchKind


class ProjectChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.region} · {obj.name}"


class VenueChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.region} · {obj.name}"


class BatchForm(BootstrapForm):
    wide_fields = frozenset({"projects"})
    label_model = Batch

    kind = forms.ChoiceField(label=_("类别"), choices=BatchKind.choices)
    name = forms.CharField(label=_("名称"), max_length=128)
    held_on = DateField(label=_("日期"))
    venue = forms.CharField(label=_("主会场"), max_length=128, required=False)
    venue_project = VenueChoice(label=_("主会场项目"), queryset=Project.objects.none(), required=False)
    announced_count = forms.IntegerField(
        label=_("公布项目数"), min_value=0, max_value=100_000, required=False
    )
    announced_investment = forms.DecimalField(
        label=_("公布总投资（万元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    projects = ProjectChoice(
        label=_("项目"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("可多选；主会场项目自动计入"),
    )

    def __init__(self, *args: Any, city_id: int | None, batch: Batch | None = None, **kwargs: Any) -> None:
        if batch is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": batch.kind,
                    "name": batch.name,
                    "held_on": batch.held_on,
                    "venue": batch.venue,
                    "venue_project": batch.venue_project_id,
                    "announced_count": batch.announced_count,
                    "announced_investment": batch.announced_investment,
                    "projects": list(batch.projects.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        projects = (
            Project.objects.filter(city_id=city_id)
            .select_related("region")
            .order_by("region__sort_order", "name")
        )
        self.fields["venue_project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["projects"].queryset = projects  # type: ignore[attr-defined]
        self.style_widgets()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        venue = data["venue_project"]
        return {
            "kind": data["kind"],
            "name": data["name"],
            "held_on": data["held_on"],
            "venue": data["venue"],
            "venue_project_id": venue.pk if venue else None,
            "announced_count": data["announced_count"],
            "announced_investment": data["announced_investment"],
            "project_ids": [p.pk for p in data["projects"]],
        }
