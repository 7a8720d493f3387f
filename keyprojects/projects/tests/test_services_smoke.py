import datetime
from decimal import Decimal

import pytest

from keyprojects.core.errors import ApplicationError, StaleVersionError
from keyprojects.projects import services
from keyprojects.projects.models import Stage
from keyprojects.projects.selectors import ProjectFilters, project_list


def test_create_update_transition_and_search(city):
    p = services.project_create(
        user=city.county,
        data={
            "name": "冠州國際陸港項目",
            "region": city.guanxian,
            "total_investment": Decimal("1020000"),
            "annual_investment": Decimal("200000"),
            "year": 2024,
            "owner": city.enterprise,
            "code": "2403-371525-04-01-52817X",
        },
    )
    assert p.version == 1
    assert [x.pk for x in project_list(user=city.county, filters=ProjectFilters(q="项目"))] == [p.pk]
    assert list(project_list(user=city.other_county)) == []
    p = services.project_update(user=city.county, project_id=p.pk, data={"name": "冠州国际陆港"}, version=1)
    assert p.version == 2
    with pytest.raises(StaleVersionError):
        services.project_update(user=city.county, project_id=p.pk, data={"name": "x"}, version=1)
    with pytest.raises(ApplicationError) as exc:
        services.project_transition(user=city.county, project_id=p.pk, version=2, stage=Stage.NEW_START)
    assert "actual_start" in exc.value.errors
    p = services.project_transition(
        user=city.county,
        project_id=p.pk,
        version=2,
        stage=Stage.UNDER_CONSTRUCTION,
        actual_start=datetime.date(2023, 5, 1),
    )
    assert p.stage == Stage.UNDER_CONSTRUCTION
    assert p.events.count() == 4
