"""The two kinds of reach this app brings to the access table: a 包保 leader's own projects, and the
projects of the task forces a person is a member of."""

from django.db.models import Q

from keyprojects.accounts.models import Organization, User

from .models import TaskForce


def led_projects(user: User, org: Organization) -> Q:
    return Q(city_id=org.city_id, leader_id=user.pk)


def task_force_projects(user: User, org: Organization) -> Q:
    memberships = TaskForce.projects.through.objects.filter(
        taskforce__city_id=org.city_id, taskforce__members=user
    ).values("project_id")
    return Q(city_id=org.city_id, pk__in=memberships)
