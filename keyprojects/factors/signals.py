"""The factors app tells the others when a project's demands or allocations change (`FactorChanged`): the
warnings of an unmet demand past its date follow. Writes past these signals (the conditional UPDATEs of
`services`) publish themselves."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from keyprojects.core.events import FactorChanged, publish

from .models import FactorAllocation, FactorDemand


def factor_changed(sender: Any, instance: FactorDemand | FactorAllocation, **kwargs: Any) -> None:
    publish(FactorChanged(project_id=instance.project_id, city_id=instance.city_id))


def connect() -> None:
    for model in (FactorDemand, FactorAllocation):
        post_save.connect(factor_changed, sender=model, dispatch_uid=f"factors-{model.__name__}-saved")
        post_delete.connect(factor_changed, sender=model, dispatch_uid=f"factors-{model.__name__}-deleted")
