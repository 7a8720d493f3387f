"""The war room pages: the dashboard (a city's, a county's with `?region=`, the province's comparing
its cities) and its full-screen wall mode; both draw the data of `GET /api/v1/dashboard`."""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.inputs import date_in_range
from keyprojects.core.replicas import lag_tolerant
from keyprojects.projects.selectors import ProjectFilters

from .body import dashboard_data
from .maps import city_map
from .permissions import require_view

WALL_REFRESH_SECONDS = 300


def _links(filters: ProjectFilters, year: int) -> dict[str, str]:
    """The list behind each figure, of the same slice."""
    region = {name: value for name in ("city", "region") if (value := getattr(filters, name))}
    listed = {"year": year, "pipeline": "scheduled", **region}

    def at(name: str, **params: Any) -> str:
        return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)

    return {
        "projects": at("projects:list", **listed),
        "started": at("projects:list", **listed, list_kind="implementation"),
        "statistics": at("inclusion:list", **region),
        "rates": at("metrics:rates", year=year),
        "warnings": at("alerts:list", **region),
        "blockers": at("blockers:ledger", **region),
        "factors": at("factors:command_post"),
    }


def _labels() -> dict[str, str]:
    """The charts' words in the page's language."""
    return {
        "start_rate": _("开工率"),
        "statistics_rate": _("纳统率"),
        "investment_rate": _("投资完成率"),
        "total_investment": _("总投资"),
        "warnings": _("红灯预警"),
        "projects": _("项目"),
        "zones": _("功能区"),
        "yi": _("亿元"),
        "wan": _("万元"),
        "overdue": _("逾期"),
        "count": _("个"),
        "month": _("%(m)s月"),
        "high": _("高"),
        "low": _("低"),
        "completed_month": _("当月完成投资"),
        "cumulative": _("累计完成投资"),
        "plan": _("累计计划投资"),
        "started": _("当月开工项目"),
    }


def _as_of(request: AuthenticatedRequest) -> datetime.date:
    """The `as_of` asked for (a past day's dashboard), else today; a malformed date is today."""
    try:
        day = parse_date(request.GET.get("as_of") or "")
    except ValueError:
        day = None
    return day if day is not None and date_in_range(day) else timezone.localdate()


def _context(request: AuthenticatedRequest) -> dict[str, Any]:
    require_view(request.user)
    filters = ProjectFilters.from_mapping(request.GET)
    board = dashboard_data(user=request.user, filters=filters, as_of=_as_of(request))
    return {
        "board": board,
        "board_json": board,
        "labels": _labels(),
        "links": _links(filters, board["year"]),
        "map": city_map(board["scope"]["city_code"]),
        "api_query": request.GET.urlencode(),
    }


@login_required
@lag_tolerant
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "warroom/dashboard.html", _context(request))


@login_required
@lag_tolerant
def wall(request: AuthenticatedRequest) -> HttpResponse:
    """The wall screen of a command room (1920×1080, dark): the same figures, refreshed in place."""
    return render(
        request, "warroom/wall.html", {**_context(request), "refresh_seconds": WALL_REFRESH_SECONDS}
    )
