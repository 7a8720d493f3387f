"""The edit-conflict merge of a node template: its name and activity field by field (`core.conflicts`), its
node list as a whole.

The template form carries `nodes_base`, the node list as it was rendered. When the save is refused as stale,
the page shows who saved the nodes since and when, the latest nodes in the formset, and the list the user
sent with a box to keep it; kept, the list sent replaces the formset's rows (`with_kept_nodes`). The nodes'
texts name only the rows changed since the form was rendered, each side its own."""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from keyprojects.core.conflicts import KEEP, Merge, MergeField
from keyprojects.core.settings_events import settings_merge, settings_savers

from .models import NodeCode, NodeTemplate
from .selectors import departments
from .services import TEMPLATE_NODES_FIELD

NodeRow = list[str]  # code, name, offset days, "on" when counted from the planned completion, department id
PREFIX = "nodes"


def node_row(row: dict[str, Any]) -> NodeRow:
    """A node (a formset row or a stored node's values) as compared and sent back."""
    department = row.get("department")
    department_id = getattr(department, "pk", department)
    name = (row.get("name") or "").strip() or str(dict(NodeCode.choices).get(row["code"], row["code"]))
    return [
        str(row["code"]),
        name,
        str(row.get("offset_days") or 0),
        "on" if row.get("relative_to_end") else "",
        "" if department_id is None else str(department_id),
    ]


def stored_rows(template: NodeTemplate) -> list[dict[str, Any]]:
    """The template's nodes in order, as the formset's initial rows."""
    return [
        {
            "code": n.code,
            "name": n.name,
            "offset_days": n.offset_days,
            "relative_to_end": n.relative_to_end,
            "department": n.department_id,
        }
        for n in template.nodes.order_by("order")
    ]


def nodes_base(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps([node_row(r) for r in rows], ensure_ascii=False)


def _rows(text: str | None) -> list[NodeRow] | None:
    """Node rows sent back by the browser; None when absent or not a list of rows."""
    try:
        rows = json.loads(text or "")
    except ValueError:
        return None
    if isinstance(rows, list) and all(
        isinstance(r, list) and len(r) == 5 and all(isinstance(v, str) for v in r) for r in rows
    ):
        return rows
    return None


def _changed(rows: list[NodeRow], against: list[NodeRow] | None) -> list[NodeRow]:
    """The rows not in `against` (what changed since the form was rendered); all of them when only the order
    changed or `against` is unknown."""
    changed = [r for r in rows if r not in (against or [])]
    return changed or rows


def _text(rows: Sequence[NodeRow], names: dict[str, str]) -> str:
    if not rows:
        return "—"
    parts = []
    for _code, name, offset, relative, department in rows:
        values = {
            "name": name,
            "basis": _("计划竣工") if relative else _("计划开工"),
            "offset": offset if offset.startswith("-") else f"+{offset}",
            "department": names.get(department, ""),
        }
        parts.append(
            _("%(name)s（%(basis)s%(offset)s天，%(department)s）") % values
            if department
            else _("%(name)s（%(basis)s%(offset)s天）") % values
        )
    return _("；").join(parts)


def template_merge(posted: Any, formset: Any, latest: Any, *, template: NodeTemplate, note: str) -> Merge:
    """Name and activity field by field, and the node list as a whole, of a template refused as stale:
    `posted` and `formset` as sent, `latest` the form of `template` as it now is."""
    found = settings_merge(posted, latest, record=template)
    mine = [node_row(r) for r in formset.rows()]
    now = [node_row(r) for r in stored_rows(template)]
    started = _rows(posted.data.get("nodes_base"))
    typed = mine != now and (started is None or mine != started)
    saved = started is not None and now != started
    if not (typed or saved):
        return Merge(found.fields, note=note)
    names = {str(d.pk): d.name for d in departments(template.city_id)}
    by, at = settings_savers(record=template, fields=[TEMPLATE_NODES_FIELD]).get(
        TEMPLATE_NODES_FIELD, ("", None)
    )
    nodes = MergeField(
        name=PREFIX,
        label=_("节点"),
        mine=[json.dumps(mine, ensure_ascii=False)],
        mine_text=_text(_changed(mine, started), names),
        base_text=_text(_changed(started or [], now), names),
        latest_text=_text(_changed(now, started), names),
        typed=typed,
        saved=saved,
        by=by if saved else "",
        at=at if saved else None,
    )
    return Merge([*found.fields, nodes], note=note)


def with_kept_nodes(data: QueryDict) -> QueryDict:
    """The data of a merged template form: the node list the user kept (`core.conflicts.reapplied` put it
    under `nodes`) as the formset's rows."""
    rows = _rows(data.get(PREFIX)) if PREFIX in data.getlist(KEEP) else None
    if rows is None:
        return data
    data = data.copy()
    for key in [k for k in data if k.startswith(f"{PREFIX}-")]:
        del data[key]
    data.update(
        {
            f"{PREFIX}-TOTAL_FORMS": str(len(rows)),
            f"{PREFIX}-INITIAL_FORMS": "0",
            f"{PREFIX}-MIN_NUM_FORMS": "0",
            f"{PREFIX}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (code, name, offset, relative, department) in enumerate(rows):
        row = f"{PREFIX}-{index}-"
        data.update(
            {
                row + "code": code,
                row + "name": name,
                row + "offset_days": offset,
                row + "department": department,
                row + "ORDER": str(index + 1),
            }
        )
        if relative:
            data[row + "relative_to_end"] = relative
    return data
