"""Steps of a notice as API calls."""

from keyprojects.accounts.tests.api_client import ApiClient


def issue(user, source, source_id, **fields):
    body = {"source": source, "source_id": source_id, "subject": "请查明未开工原因并限期整改", **fields}
    if "deadline" not in fields and "deadline_workdays" not in fields:
        body["deadline_workdays"] = 5
    return ApiClient(user).post("/supervision-notices", body)


def issued(user, source, source_id, **fields):
    response = issue(user, source, source_id, **fields)
    assert response.status_code == 201, response.json()
    return response.json()


def act(user, notice_id, action, text=""):
    return ApiClient(user).post(f"/supervision-notices/{notice_id}/actions", {"action": action, "text": text})


def ok(user, notice_id, action, text=""):
    response = act(user, notice_id, action, text)
    assert response.status_code == 200, response.json()
    return response.json()
