"""Batches (集中开工, 观摩) as API clients see them."""

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from .models import BatchKind


class BatchOut(Schema):
    id: int
    kind: BatchKind = Field(description="start 集中开工；tour 观摩")
    kind_label: str
    name: str
    held_on: datetime.date = Field(description="日期")
    venue: str = Field(description="主会场")
    venue_project: int | None = Field(description="主会场项目")
    venue_project_name: str
    region_name: str = Field(description="主会场所在县区")
    announced_count: int | None = Field(description="公布的项目数")
    announced_investment: Decimal | None = Field(description="公布的总投资（万元）")
    project_count: int = Field(description="平台上可见的本批项目数")
    total_investment: Decimal = Field(description="平台上可见的本批项目总投资（万元）")


class BatchFilter(Schema):
    kind: BatchKind | None = None
    region: str | None = Field(None, description="区划代码：有该县区项目的批次")
