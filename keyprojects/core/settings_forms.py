"""A city settings form saved through its service; on a stale version, the latest version with the merge.

Every settings page (warning rules, 三率 bases, due-soon window, 纳统 threshold, two-factor, blockers) reads
its record, shows its form, and sends the form to its service. When another save came first, the page
shows the record as it now is with who saved what and when, and the values the user typed offered on top
(`core.conflicts`); any other refusal stays on the form as sent."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.http import HttpRequest, QueryDict

from .conflicts import Merge, reapplied
from .errors import ApplicationError, StaleVersionError
from .forms import BootstrapForm
from .settings_events import settings_history, settings_merge

R = TypeVar("R", bound=models.Model)
F = TypeVar("F", bound=BootstrapForm)


@dataclass(frozen=True)
class SettingsEdit(Generic[F]):
    form: F
    record: models.Model  # as it now is
    saved: bool = False
    merge: Merge | None = None

    def context(self) -> dict[str, Any]:
        """The page's form, the merge when stale, and the record's settings history."""
        return {
            "form": self.form,
            "merge": self.merge,
            "settings_history": settings_history(record=self.record),
        }


def edit_settings(
    request: HttpRequest,
    *,
    record: Callable[[], R],
    form: Callable[[QueryDict | None, R], F],
    save: Callable[[F], object],
    recorded_as: Mapping[str, str] | None = None,
) -> SettingsEdit[F]:
    """Show (GET) or save (POST) `form(data, record)` with `save(form)`, the service's call. `recorded_as`
    names a form field's history field when they differ (`settings_merge`)."""
    current = record()
    posted = form(reapplied(request.POST) if request.method == "POST" else None, current)
    if not (posted.is_bound and posted.is_valid()):
        return SettingsEdit(posted, current)
    try:
        save(posted)
    except StaleVersionError as error:
        current = record()
        latest = form(None, current)
        found = settings_merge(posted, latest, record=current, recorded_as=recorded_as)
        return SettingsEdit(latest, current, merge=Merge(found.fields, note=str(error.message)))
    except ApplicationError as error:
        posted.apply_error(error)
        return SettingsEdit(posted, current)
    return SettingsEdit(posted, current, saved=True)
