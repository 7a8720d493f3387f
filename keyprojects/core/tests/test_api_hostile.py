"""Every API operation, given hostile values in each of its parameters and body fields, answers
without a server error (a small deterministic fuzz of the OpenAPI document)."""

import pytest

from config.api import api as ninja_api
from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.projects.tests.factories import ProjectFactory

HOSTILE = [
    "",
    "\x00",
    "a\r\nb",
    2**70,
    -1,
    0,
    1.5,
    "9999-99-99",
    "0001-01-01",
    [],
    {},
    None,
    True,
    "' OR 1=1 --",
]


def _operations():
    document = ninja_api.get_openapi_schema()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path.removeprefix("/api/v1"), method, operation, document


def _body_fields(operation, document) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return []
    ref = content["schema"].get("$ref", "")
    schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], content["schema"])
    return list(schema.get("properties", {}))


@pytest.mark.django_db
def test_no_hostile_value_causes_a_server_error(city):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    assert _hostile_errors(ApiClient(city.city_admin), project.pk, _operations()) == []


@pytest.mark.django_db
def test_no_hostile_value_causes_a_server_error_in_the_audit_administrators_operations(city):
    """The operations the city office is refused before reading any parameter, as the one who may call them."""
    auditor = UserFactory(role=Role.AUDIT_ADMIN, organization=city.city_office)
    audit = [operation for operation in _operations() if "audit" in operation[2].get("tags", [])]
    assert audit
    assert _hostile_errors(ApiClient(auditor), 1, audit) == []


def _hostile_errors(api: ApiClient, record_id: int, operations) -> list[tuple]:
    errors = []
    for path, method, operation, document in operations:
        params = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
        concrete = path
        for p in params:
            if p["in"] == "path":
                concrete = concrete.replace("{" + p["name"] + "}", str(record_id))
        for value in HOSTILE:
            for p in params:
                url = path
                for q in params:
                    if q["in"] == "path":
                        url = url.replace("{" + q["name"] + "}", str(value if q is p else record_id))
                query = {p["name"]: value} if p["in"] == "query" and value is not None else None
                answer = api.request(method, url, query if method == "get" else {}, **{"If-Match": '"1"'})
                if answer.status_code >= 500:
                    errors.append((method, path, p["name"], repr(value)))
            for field in _body_fields(operation, document):
                answer = api.request(method, concrete, {field: value}, **{"If-Match": '"1"'})
                if answer.status_code >= 500:
                    errors.append((method, path, field, repr(value)))
    return errors
