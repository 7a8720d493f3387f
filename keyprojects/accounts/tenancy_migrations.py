"""The data step of the migrations that added the city key: fill it for the rows already there."""

from typing import Any

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_city(app_label: str, *models: tuple[str, str | None]) -> migrations.RunPython:
    """Fill `city` of each (model, via) in order: from the record `via` points to (a project, a report,
    a region...), or, for records that hang off nothing (`via` None), with the install's one city —
    before the city key, one install served one city."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # checked at once, so the column can be made NOT NULL in the same transaction
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model_name, via in models:
            model = apps.get_model(app_label, model_name)
            rows = model.objects.filter(city__isnull=True)
            if via is None:
                if not rows.exists():
                    continue
                cities = list(
                    apps.get_model("accounts", "Region")
                    .objects.filter(kind="city")
                    .values_list("pk", flat=True)
                )
                if len(cities) != 1:
                    raise RuntimeError(
                        f"{app_label}.{model_name}: cannot tell which city owns the existing rows"
                    )
                rows.update(city_id=cities[0])
            else:
                source = model._meta.get_field(via).related_model
                rows.update(city_id=Subquery(source.objects.filter(pk=OuterRef(via)).values("city_id")[:1]))
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")

    return migrations.RunPython(forwards, migrations.RunPython.noop)
