"""Settings that belong to a city, with province-wide defaults.

Every settings table (warning rules, rate bases, dispatch and statistics settings, plan settings) is a
`CitySettings`: one row per city that has changed something, and at most one row without a city, the
province office's defaults. A city reads its own row if it has one, else the province's, else the
built-in defaults (`for_city`). Every settings page and endpoint writes through `settings_update`,
which checks the version the editor saw, saves the row of that city (made on its first change, from
what it inherited), records what changed in the settings history, and publishes `SettingsChanged`
(`core.events`) for the apps that read the settings.
"""

from collections.abc import Callable, Mapping
from typing import Any, Generic, Self, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from keyprojects.core.errors import Message
from keyprojects.core.events import SettingsChanged, publish
from keyprojects.core.settings_events import settings_changed_events
from keyprojects.core.versions import check_version, require_version

from .access import may
from .models import User
from .tenancy import city_field


class CitySettings(models.Model):
    city = city_field(null=True)  # null: the province-wide defaults
    version = models.PositiveIntegerField(
        _("版本"), default=1, help_text=_("每次保存加1，防止覆盖他人刚保存的修改")
    )

    class Meta:
        abstract = True

    @classmethod
    def for_city(cls, city_id: int | None) -> Self:
        """The settings in force in a city: its own, else the province's, else the defaults."""
        rows = {
            row.city_id: row for row in cls._default_manager.filter(Q(city_id=city_id) | Q(city__isnull=True))
        }
        found = rows.get(city_id) or rows.get(None)
        if found is not None:
            return found
        defaults = cls(city_id=city_id)
        # Typed as a stored row's (Decimal("500"), not 500), so every reader can treat them alike.
        for field in cls._meta.concrete_fields:
            setattr(defaults, field.attname, field.to_python(getattr(defaults, field.attname)))
        return defaults

    @classmethod
    def book(cls) -> "SettingsBook[Self]":
        """Every city's settings at once (one query), for work that spans cities."""
        return SettingsBook(cls, {row.city_id: row for row in cls._default_manager.all()})


S = TypeVar("S", bound=CitySettings)


def _stored(model: type[models.Model], name: str, value: Any) -> Any:
    field = model._meta.get_field(name)
    return field.to_python(value) if isinstance(field, models.Field) else value


class SettingsBook(Generic[S]):
    def __init__(self, model: type[S], rows: dict[int | None, S]) -> None:
        self.model, self.rows = model, rows

    def of(self, city_id: int | None) -> S:
        found = self.rows.get(city_id) or self.rows.get(None)
        if found is None:
            found = self.rows[None] = self.model(city_id=None)
        return found


def can_edit_settings(user: User) -> bool:
    """The city office edits its city's settings, the province office the province's defaults."""
    return may(user, "settings.edit")


def settings_city(user: User) -> int | None:
    """Whose settings the user edits: its city's for a city office, the province's defaults for the
    province office; 403 for anyone else."""
    if may(user, "settings.edit") and user.organization is not None:
        return user.city_id
    raise PermissionDenied(_("只有市重点项目办或省发改委可以修改设置"))


def settings_update(
    *,
    model: type[S],
    user: User,
    version: int | None,
    values: Mapping[str, Any],
    missing_version: Message,
    stale: Callable[[S], Message],
) -> S:
    """Save `values` into the settings of the user's city (or the province's defaults), based on
    `version`, the version the editor saw; call inside the service's transaction, after validating."""
    city_id = settings_city(user)
    version = require_version(version, missing=missing_version)
    row = model._default_manager.select_for_update().filter(city_id=city_id).first()
    if row is None:
        row = model.for_city(city_id)
        row.pk, row.city_id = None, city_id
        row._state.adding = True
    check_version(row.version, version, stale=lambda: stale(row))
    # a row made from the defaults holds them as declared (500, not Decimal("500.00")): read them as stored
    before = {name: _stored(model, name, getattr(row, name)) for name in values}
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row.save()
    settings_changed_events(
        record=row, actor=user, changes=[(name, before[name], value) for name, value in values.items()]
    )
    publish(SettingsChanged(city_id=city_id, model=model._meta.label_lower))
    return row
