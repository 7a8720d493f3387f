import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from keyprojects.projects.schemas import ProjectFilter

from .forms import parse_month


def _month(value: str) -> str:
    try:
        parse_month(value)
    except ValueError:
        raise ValueError("请输入有效的月份，格式为 YYYY-MM，且不晚于本月") from None
    return value


Month = Annotated[str, Field(max_length=7, description="通报月份，YYYY-MM"), AfterValidator(_month)]


class BriefingFilter(ProjectFilter):
    """The month, and the slice of the list as `GET /api/v1/projects` takes it."""

    month: Month | None = Field(None, description="通报月份 YYYY-MM，默认上一个月")

    def month_date(self) -> datetime.date | None:
        return parse_month(self.month) if self.month else None
