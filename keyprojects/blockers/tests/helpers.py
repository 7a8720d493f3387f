"""Steps of the loop as API calls, for tests that walk a blocker to a state."""

from keyprojects.accounts.tests.api_client import ApiClient


def raise_blocker(user, project, category="land"):
    response = ApiClient(user).post(
        "/blockers",
        {
            "project": project.pk,
            "category": category,
            "description": "土地组卷报批迟迟未批",
            "request": "请协调加快报批",
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def act(user, blocker_id, action, **fields):
    return ApiClient(user).post(f"/blockers/{blocker_id}/actions", {"action": action, **fields})


def ok(user, blocker_id, action, **fields):
    response = act(user, blocker_id, action, **fields)
    assert response.status_code == 200, response.json()
    return response.json()


def walk(city, project, to):
    """A blocker of `project` brought to the state `to` by the right people."""
    pk = raise_blocker(city.owner, project)
    path = {
        "raised": [],
        "accepted": [("county", "accept", {})],
        "returned": [("county", "return", {"text": "非项目本身问题"})],
        "assigned": [("county", "accept", {}), ("county", "assign", {"department": city.department.pk})],
        "in_progress": [
            ("county", "accept", {}),
            ("county", "assign", {"department": city.department.pk}),
            ("department_officer", "answer", {"text": "已组织现场踏勘"}),
        ],
        "resolved": [
            ("county", "accept", {}),
            ("county", "assign", {"department": city.department.pk}),
            ("department_officer", "resolve", {"text": "已完成组卷上报"}),
        ],
        "closed": [
            ("county", "accept", {}),
            ("county", "assign", {"department": city.department.pk}),
            ("department_officer", "resolve", {"text": "已完成组卷上报"}),
            ("owner", "rate", {"rating": "satisfied"}),
        ],
    }[to]
    for role, action, fields in path:
        ok(getattr(city, role), pk, action, **fields)
    return pk
