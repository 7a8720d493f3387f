"""Writes to a city's dictionary (`DictionaryEntry`): the city office adds, renames, reorders, deactivates
and deletes entries; every change is kept in the settings history and announced as `SettingsChanged`.
A built-in entry and an entry a project uses are never deleted: they are deactivated instead."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import Region, User
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.events import SettingsChanged, publish
from keyprojects.core.settings_events import settings_changed_events
from keyprojects.core.versions import check_version, require_version

from .models import DICTIONARY_FIELDS, DictionaryEntry, DictionaryKind, Project
from .vocabulary import next_code

CODE = re.compile(r"[A-Za-z0-9_.-]{1,32}")
MODEL = DictionaryEntry._meta.label_lower


def can_edit_dictionary(user: User) -> bool:
    return may(user, "settings.edit") and user.city_id is not None


def dictionary_city(user: User) -> int:
    """The city whose dictionary the user edits: the city office's own; 403 for anyone else."""
    if can_edit_dictionary(user) and user.city_id is not None:
        return user.city_id
    raise PermissionDenied(_("只有市重点项目办可以维护本市的字典"))


def entry_access(user: User, entry_id: int) -> DictionaryEntry:
    """An entry of the user's city, locked for the write; 404 for a missing one and another city's alike."""
    city_id = dictionary_city(user)
    entry = DictionaryEntry.objects.select_for_update().filter(pk=entry_id, city_id=city_id).first()
    if entry is None:
        raise Http404(_("字典项不存在"))
    return entry


def entry_in_use(entry: DictionaryEntry) -> bool:
    name = DICTIONARY_FIELDS[DictionaryKind(entry.kind)]
    # funding sources are a JSON list of codes: its text holds the code in quotes
    match = (
        Q(funding_sources__icontains=f'"{entry.code}"')
        if name == "funding_sources"
        else Q(**{name: entry.code})
    )
    return Project.objects.filter(match, city_id=entry.city_id).exists()


def _clean_label(entry: DictionaryEntry, label: Any, errors: dict[str, list[Message]]) -> str:
    text = str(label or "").strip()
    if not text:
        errors.setdefault("label", []).append(_("请填写名称"))
    elif len(text) > 64:
        errors.setdefault("label", []).append(_("名称不能超过64个字"))
    else:
        taken = DictionaryEntry.objects.filter(city_id=entry.city_id, kind=entry.kind, label=text)
        if taken.exclude(pk=entry.pk).exists():
            errors.setdefault("label", []).append(_("名称“%(label)s”已在使用") % {"label": text})
    return text


def _raise(errors: dict[str, list[Message]]) -> None:
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)


def _changed(entry: DictionaryEntry, user: User, changes: list[tuple[str, Any, Any]]) -> None:
    settings_changed_events(record=entry, actor=user, changes=changes)
    publish(SettingsChanged(city_id=entry.city_id, model=MODEL))


@transaction.atomic
def dictionary_entry_create(*, user: User, kind: str, label: str, code: str = "") -> DictionaryEntry:
    """A new active entry at the end of its list; a blank code is given the next free one (e.g. ind12)."""
    city_id = dictionary_city(user)
    errors: dict[str, list[Message]] = {}
    if kind not in DictionaryKind.values:
        raise ApplicationError(_("字典类别不存在"), errors={"kind": [_("字典类别不存在")]})
    # two adds at once (a kind may have no entry yet to lock): the second waits for the first, then finds
    # its label or code taken, or picks the code after the first's
    list(Region.objects.select_for_update().filter(pk=city_id).values_list("pk", flat=True))
    entry = DictionaryEntry(city_id=city_id, kind=kind)
    entry.label = _clean_label(entry, label, errors)
    code = (code or "").strip()
    if code and not CODE.fullmatch(code):
        errors.setdefault("code", []).append(
            _("代码只能由字母、数字、下划线、连字符或点组成，不超过32个字符")
        )
    elif code and DictionaryEntry.objects.filter(city_id=city_id, kind=kind, code=code).exists():
        errors.setdefault("code", []).append(_("代码“%(code)s”已在使用") % {"code": code})
    _raise(errors)
    taken = set(DictionaryEntry.objects.filter(city_id=city_id, kind=kind).values_list("code", flat=True))
    entry.code = code or next_code(kind, taken)
    last = DictionaryEntry.objects.filter(city_id=city_id, kind=kind).aggregate(m=Max("position"))["m"]
    entry.position = (last or 0) + 10
    entry.save()
    _changed(entry, user, [("code", None, entry.code), ("label", None, entry.label)])
    return entry


@transaction.atomic
def dictionary_entry_update(
    *, user: User, entry_id: int, version: int | None, label: str | None = None, active: bool | None = None
) -> DictionaryEntry:
    """Rename and/or (de)activate an entry, based on the version the editor saw."""
    entry = entry_access(user, entry_id)
    check_version(
        entry.version,
        require_version(version, missing=_("缺少版本号，请刷新页面后重试")),
        stale=lambda: _("“%(label)s”已被他人修改，请刷新后重试") % {"label": entry.label},
    )
    errors: dict[str, list[Message]] = {}
    changes: list[tuple[str, Any, Any]] = []
    if label is not None:
        text = _clean_label(entry, label, errors)
        changes.append(("label", entry.label, text))
        entry.label = text
    _raise(errors)
    if active is not None:
        changes.append(("active", entry.active, active))
        entry.active = active
    entry.version += 1
    entry.save()
    _changed(entry, user, changes)
    return entry


@transaction.atomic
def dictionary_entry_move(*, user: User, entry_id: int, up: bool) -> DictionaryEntry:
    """Swap an entry with its neighbour above (or below) in its list."""
    entry = entry_access(user, entry_id)
    siblings = list(
        DictionaryEntry.objects.select_for_update()
        .filter(city_id=entry.city_id, kind=entry.kind)
        .order_by("position", "id")
    )
    at = next(i for i, e in enumerate(siblings) if e.pk == entry.pk)
    other_at = at - 1 if up else at + 1
    if not 0 <= other_at < len(siblings):
        return entry
    order = siblings[:]
    order[at], order[other_at] = order[other_at], order[at]
    for i, item in enumerate(order):
        position = (i + 1) * 10
        if item.position != position:
            before, item.position = item.position, position
            item.version += 1
            item.save(update_fields=["position", "version"])
            settings_changed_events(record=item, actor=user, changes=[("position", before, position)])
    publish(SettingsChanged(city_id=entry.city_id, model=MODEL))
    return next(e for e in order if e.pk == entry.pk)


@transaction.atomic
def dictionary_entry_delete(*, user: User, entry_id: int) -> None:
    """Delete an entry no project uses; a built-in entry or one in use can only be deactivated."""
    entry = entry_access(user, entry_id)
    if entry.built_in:
        raise ApplicationError(_("“%(label)s”是内置字典项，不能删除，可以停用") % {"label": entry.label})
    if entry_in_use(entry):
        raise ApplicationError(_("“%(label)s”已有项目使用，不能删除，可以停用") % {"label": entry.label})
    _changed(entry, user, [("label", entry.label, None)])
    entry.delete()
