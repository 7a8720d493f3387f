"""The API's OpenAPI document is exact about errors: each operation declares every status it answers,
and no two types share a component name."""

import enum

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from ninja import Router, Schema
from pydantic import create_model

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.openapi import DocumentedAPI

BIG = 2**64


@pytest.fixture
def document(db):
    return Client().get("/api/v1/openapi.json").json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.mark.django_db
def test_each_operation_declares_its_error_statuses(document):
    for path, method, operation in _operations(document):
        declared = {int(status) for status in operation["responses"]}
        params = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
        expected = set()
        if operation.get("security"):
            expected |= {401, 403}
        if any(where == "path" for where, _name in params):
            expected.add(404)
        if ("header", "If-Match") in params:
            expected |= {412, 428}
        if params or "requestBody" in operation:
            expected.add(422)
        if "requestBody" in operation:
            expected.add(400)
        assert expected <= declared, f"{method.upper()} {path} declares {sorted(declared)}"
        for status in declared - {200, 201, 204}:
            schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}


@pytest.mark.django_db
def test_statuses_answered_are_declared(city, document):
    """Ask each operation as nobody, with an id beyond 64 bits and with a stale If-Match: whatever it
    answers is in its declared responses."""
    api = ApiClient(city.city_admin)
    anonymous = ApiClient()
    for path, method, operation in _operations(document):
        declared = {int(status) for status in operation["responses"]}
        url = path.removeprefix("/api/v1")
        params = {p["name"]: p["in"] for p in operation.get("parameters", [])}
        concrete = url
        for name, where in params.items():
            if where == "path":
                concrete = concrete.replace("{" + name + "}", str(BIG))
        answers = [anonymous.request(method, concrete, {} if method != "get" else None)]
        answers.append(api.request(method, concrete, {} if method != "get" else None))
        if "If-Match" in params:
            answers.append(api.request(method, concrete, {}, **{"If-Match": '"999999"'}))
        for answer in answers:
            assert answer.status_code in declared, f"{method.upper()} {path} answered {answer.status_code}"
            assert answer["Content-Type"].startswith("application/json") or answer.status_code == 204


@pytest.mark.django_db
def test_a_body_that_cannot_be_read_answers_its_declared_400(city, document):
    """Bytes that are not JSON (or a multipart form without its boundary) answer 400 in the error shape,
    as every operation that reads a body declares."""
    api = ApiClient(city.city_admin)
    for path, method, operation in _operations(document):
        if "requestBody" not in operation or "{" in path:
            continue
        content_type = next(iter(operation["requestBody"]["content"]))
        answer = api.client.generic(
            method.upper(), path, b"7\xff#\xfe", content_type=content_type, headers=api.headers
        )
        assert answer.status_code == 400, f"{method.upper()} {path} answered {answer.status_code}"
        assert answer.json()["detail"], path


class Colour(enum.Enum):
    RED = "red"


class OtherColour(enum.Enum):
    BLUE = "blue"


OtherColour.__name__ = "Colour"
OtherColour.__qualname__ = "Colour"


class PaintIn(Schema):
    colour: Colour


class InkIn(Schema):
    colour: OtherColour


def test_two_enums_of_one_name_are_refused():
    api = DocumentedAPI(urls_namespace="enum-collision")
    router = Router()

    @router.post("/paint")
    def paint(request, payload: PaintIn) -> None:
        pass

    @router.post("/ink")
    def ink(request, payload: InkIn) -> None:
        pass

    api.add_router("", router)
    with pytest.raises(ImproperlyConfigured, match="Colour"):
        api.get_openapi_schema(path_prefix="/")


@pytest.mark.django_db
def test_document_names_no_enum_twice(document):
    names = [name for name, schema in document["components"]["schemas"].items() if "enum" in schema]
    assert "ReportStatus" in names and "ChangeRequestStatus" in names
    assert "OrganizationKind" in names and "ProjectEventKind" in names and "ReportEventKind" in names


def test_two_types_of_one_name_and_different_fields_are_refused():
    api = DocumentedAPI(urls_namespace="type-collision")
    router = Router()
    paper = create_model("Sheet", __base__=Schema, width=(int, ...))
    card = create_model("Sheet", __base__=Schema, colour=(str, ...))

    @router.post("/paper")
    def paper_in(request, payload: create_model("PaperIn", __base__=Schema, sheet=(paper, ...))) -> None:
        pass

    @router.post("/card")
    def card_in(request, payload: create_model("CardIn", __base__=Schema, sheet=(card, ...))) -> None:
        pass

    api.add_router("", router)
    with pytest.raises(ImproperlyConfigured, match="Sheet"):
        api.get_openapi_schema(path_prefix="/")
