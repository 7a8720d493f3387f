"""What this app tells the others: a project's inclusion was recorded or cleared
(`core.events.InclusionChanged`), from the model's save signal, so that every way it is written is heard."""

from typing import Any

from keyprojects.core.events import InclusionChanged, publish

from .models import StatisticsInclusion


def inclusion_saved(
    sender: type[StatisticsInclusion], instance: StatisticsInclusion, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        publish(InclusionChanged(project_id=instance.project_id, city_id=instance.city_id))
