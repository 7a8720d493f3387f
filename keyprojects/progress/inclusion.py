"""Statistics inclusion (入库纳统): which projects should be in the fixed-asset investment
statistics, and which are, as of a date. A project should be once its main works started and its
planned total investment reaches the threshold (500万元 by default, set in ProgressSettings)."""

import datetime
from decimal import Decimal

from django.db.models import Q

from .models import ProgressSettings


def inclusion_due_q(*, as_of: datetime.date, threshold: Decimal | None = None) -> Q:
    """Projects that should be included by `as_of` (a filter on Project)."""
    if threshold is None:
        threshold = ProgressSettings.current().inclusion_threshold
    return Q(actual_start__isnull=False, actual_start__lte=as_of, total_investment__gte=threshold)


def included_q(*, as_of: datetime.date) -> Q:
    """Projects included in the statistics by `as_of` (a filter on Project)."""
    return Q(statistics__included_on__isnull=False, statistics__included_on__lte=as_of)
