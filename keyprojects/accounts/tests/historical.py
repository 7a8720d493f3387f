"""Rows for migration tests that stay valid at every step of the schema: a city region above the
counties, and the city key filled on every row whose model has one in the state being tested, so the
later migrations (and the reset to the latest schema after the test) accept them."""

from typing import Any

from django.db import models


def _has_city(model: type[models.Model]) -> bool:
    return any(field.name == "city" for field in model._meta.fields)


class OldWorld:
    """The rows of one city (聊城市) written through the historical models of `apps`."""

    def __init__(self, apps: Any) -> None:
        self.apps = apps
        Region = apps.get_model("accounts", "Region")
        self.city = Region.objects.create(code="371500", name="聊城市", kind="city")
        if _has_city(Region):
            Region.objects.filter(pk=self.city.pk).update(city_id=self.city.pk, path="371500/")

    def create(self, label: str, **values: Any) -> Any:
        model = self.apps.get_model(label)
        if _has_city(model):
            values.setdefault("city_id", self.city.pk)
        return model.objects.create(**values)

    def county(self, code: str, name: str) -> Any:
        values: dict[str, Any] = {"code": code, "name": name, "kind": "county", "parent": self.city}
        if _has_city(self.apps.get_model("accounts", "Region")):
            values["path"] = f"371500/{code}/"
        return self.create("accounts.Region", **values)
