"""Writes to one project take their locks in one order (the project first), so a node edit and a
project edit at the same moment queue on the project instead of deadlocking. Row locks only mean
something on PostgreSQL; SQLite writes one transaction at a time."""

import datetime
import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection

from keyprojects.core.errors import StaleVersionError
from keyprojects.projects.models import Project, Stage
from keyprojects.projects.services import project_update
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.models import NodeCode, PlanNode
from keyprojects.schedule.services import plan_create_from_template, plan_node_update

ROUNDS = 30
STARTED = datetime.date(2026, 3, 10)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]


def _concurrently(*writes: Callable[[], None]) -> list[BaseException]:
    """Run the writes in threads released at the same moment; what each raised. A write refused as
    stale (the other one saved first) is read again and retried, as a user would after reloading."""
    barrier = threading.Barrier(len(writes))
    failures: list[BaseException] = []

    def run(write: Callable[[], None]) -> None:
        try:
            barrier.wait()
            for _attempt in range(5):
                try:
                    write()
                    return
                except StaleVersionError:
                    continue
            raise AssertionError("still stale after five attempts")
        except BaseException as error:  # handed to the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def test_a_node_edit_and_a_project_edit_of_one_project_never_deadlock(city, templates):
    """The project edit saves a started project, which closes its open start node (the plan follows
    the record); the node edit changes that same node. Before the one lock order, the node edit
    held the node and waited for the project (its history row points at it) while the project edit
    held the project and waited for the node."""
    project = ProjectFactory(
        region=city.guanxian,
        owner=city.enterprise,
        year=2026,
        stage=Stage.NEW_START,
        actual_start=STARTED,
    )
    plan_create_from_template(user=city.county, project_id=project.pk)
    start = PlanNode.objects.get(project=project, code=NodeCode.START)

    def edit_node(remarks: str) -> None:
        version = PlanNode.objects.get(pk=start.pk).version
        plan_node_update(user=city.county, node_id=start.pk, version=version, data={"remarks": remarks})

    def edit_project(name: str) -> None:
        version = Project.objects.get(pk=project.pk).version
        project_update(user=city.city_admin, project_id=project.pk, data={"name": name}, version=version)

    for round_ in range(ROUNDS):
        PlanNode.objects.filter(pk=start.pk).update(actual_date=None)
        remarks, name = f"第{round_}轮督办", f"冠州国际陆港{round_}期"
        assert _concurrently(partial(edit_node, remarks), partial(edit_project, name)) == []
        node = PlanNode.objects.get(pk=start.pk)
        assert (node.remarks, node.actual_date) == (remarks, STARTED)
        assert Project.objects.get(pk=project.pk).name == name
