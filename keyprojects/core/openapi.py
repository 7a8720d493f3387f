"""The API's OpenAPI document, exact about errors: every operation declares the error statuses it can
answer, all in the one error shape, and two types may not share a component name (ninja would
silently keep the last one's fields or values)."""

from http.client import responses as reasons
from typing import Any

from annotated_types import Le
from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from pydantic import BaseModel, Field

from .inputs import ID_MAX

ERROR_COMPONENT = "Error"


class ErrorOut(Schema):
    """Every error the API answers, in the request's language."""

    detail: str = Field(description="错误说明")
    errors: dict[str, list[str]] | None = Field(
        None, description="各字段的错误（字段名 → 说明）；__all__ 为不属于某个字段的错误"
    )


def error_statuses(operation: Operation) -> set[int]:
    """The error statuses an operation can answer, from what it takes: 400 when it reads a body (one
    that is not JSON, or a broken multipart form), 401/403 when it needs a user, 404 when it names an
    object in its path, or by id in its query or body, 412/428 when it takes If-Match, 422 when it
    takes any input (a malformed value, or a rule of the services refusing it)."""
    sources: dict[str, set[str]] = {}
    for model in operation.models:
        source = model.__ninja_param_source__
        sources.setdefault(source, set()).update(model.model_fields)
    statuses: set[int] = set()
    if operation.auth_callbacks:
        statuses |= {401, 403}
    if sources.keys() & {"body", "form", "file"}:
        statuses.add(400)
    if sources.get("path") or any(
        _names_an_object(m) for m in operation.models if m.__ninja_param_source__ in ("body", "query")
    ):
        statuses.add(404)
    if "If-Match" in _header_names(operation):
        statuses |= {412, 428}
    if sources:
        statuses.add(422)
    return statuses


def _names_an_object(model: type[BaseModel]) -> bool:
    """Whether the input carries an object's id (`core.api.Id`), which answers 404 when there is none."""
    for field in model.model_fields.values():
        if any(isinstance(rule, Le) and rule.le == ID_MAX for rule in field.metadata):
            return True
        annotation = field.annotation
        if (
            isinstance(annotation, type)
            and issubclass(annotation, BaseModel)
            and _names_an_object(annotation)
        ):
            return True
    return False


def _header_names(operation: Operation) -> set[str]:
    names = set()
    for model in operation.models:
        if model.__ninja_param_source__ == "header":
            for name, field in model.model_fields.items():
                names.add(field.alias or name)
    return names


class OpenAPIDocument(OpenAPISchema):
    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        result = super().responses(operation)
        declared = {status for status in operation.response_models if isinstance(status, int)}
        error = {
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
        }
        for status in sorted(
            error_statuses(operation) | getattr(operation.view_func, "_error_statuses", set())
        ):
            if status not in declared:
                result[status] = {"description": reasons.get(status, ""), **error}
        self.add_schema_definitions({ERROR_COMPONENT: ErrorOut.model_json_schema()})
        return dict(sorted(result.items()))

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, schema in definitions.items():
            known = self.schemas.get(name)
            if known is not None and _shape(known) != _shape(schema):
                raise ImproperlyConfigured(
                    f"Two types are both named {name!r} in the API; give one of them another name."
                )
        super().add_schema_definitions(definitions)


def _shape(schema: dict[str, Any]) -> tuple:
    """What tells two types of one name apart: their values, or their fields (one type read as input and
    as output differs only in how a field is spelled)."""
    return tuple(map(str, schema.get("enum", ()))), tuple(sorted(schema.get("properties", {})))


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose document comes from `OpenAPIDocument`."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return OpenAPIDocument(api=self, path_prefix=path_prefix)


def answers(*statuses: int) -> Any:
    """Declare error statuses an operation answers beyond those `error_statuses` infers (e.g. 429 of the
    token endpoint); put it below the router's decorator."""

    def decorate(view: Any) -> Any:
        view._error_statuses = set(statuses)
        return view

    return decorate
