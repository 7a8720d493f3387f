"""Building blocks for the dispatch tests: a project of the test city, a round around today, reports."""

import datetime
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from PIL import Image

from keyprojects.accounts.models import User
from keyprojects.progress import services
from keyprojects.progress.models import DispatchRound, MonthlyReport
from keyprojects.progress.selectors import month_start, previous_month
from keyprojects.projects.models import Project
from keyprojects.projects.tests.factories import ProjectFactory


def this_month() -> datetime.date:
    return month_start(timezone.localdate())


def last_month() -> datetime.date:
    return previous_month(this_month())


def make_project(city: Any, **fields: Any) -> Project:
    """A 冠县 project owned by the city's enterprise: 1000万元 in total, 600万元 planned this year."""
    defaults = {
        "region": city.guanxian,
        "owner": city.enterprise,
        "total_investment": Decimal("1000"),
        "annual_investment": Decimal("600"),
    }
    return ProjectFactory(**{**defaults, **fields})


def open_round(
    city: Any,
    projects: list[Project],
    month: datetime.date | None = None,
    *,
    opens_in: int = -5,
    closes_in: int = 5,
    county_may_fill: bool = False,
) -> DispatchRound:
    """The round of `month` (this month by default), its window placed relative to today."""
    month = month or this_month()
    today = timezone.localdate()
    return services.round_open(
        user=city.city_admin,
        year=month.year,
        month=month.month,
        opens_on=today + datetime.timedelta(days=opens_in),
        closes_on=today + datetime.timedelta(days=closes_in),
        county_may_fill=county_may_fill,
        project_ids=[p.pk for p in projects],
    )


def fields(**overrides: Any) -> dict[str, Any]:
    """A month's report of 100万元: 60 building, 20 installation, 15 equipment, 5 other."""
    base = {
        "construction": Decimal("60"),
        "installation": Decimal("20"),
        "equipment": Decimal("15"),
        "other": Decimal("5"),
        "progress_text": "主体结构施工至三层",
        "problems": "",
        "workers": 120,
    }
    return {**base, **overrides}


def fields_payload(**overrides: Any) -> dict[str, Any]:
    """`fields()` as an API client sends them: amounts as decimal strings."""
    data = {k: str(v) if isinstance(v, Decimal) else v for k, v in fields().items()}
    return {**data, **overrides}


def api_payload(month: datetime.date, **overrides: Any) -> dict[str, Any]:
    return {"month": month.strftime("%Y-%m"), **fields_payload(**overrides)}


def submit(
    user: User, project: Project, month: datetime.date | None = None, **overrides: Any
) -> MonthlyReport:
    return services.report_submit(
        user=user, project_id=project.pk, month=month or this_month(), **fields(**overrides)
    )


def accept(user: User, report: MonthlyReport) -> MonthlyReport:
    return services.report_review(user=user, report_id=report.pk, decision="accept")


def jpeg(taken: str | None = "2026:11:20 09:30:00", size: tuple[int, int] = (40, 30)) -> bytes:
    """A JPEG whose EXIF says when it was taken (DateTimeOriginal), unless `taken` is None."""
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()
