"""Pieces shared by every app's API router."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

import ninja.parser
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Header, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.types import DictStrAny
from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from .errors import StaleVersionError
from .inputs import DATE_MAX, DATE_MIN, ID_MAX, YEAR_MAX, YEAR_MIN, date_in_range, nul_fields


class JSONEncoder(NinjaJSONEncoder):
    """ninja's encoder, handing dates and amounts straight to Django's past ninja's checks for models, URLs,
    addresses and enums: a list's answer holds hundreds of them."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.date | Decimal):
            return DjangoJSONEncoder.default(self, o)
        return super().default(o)


class Renderer(JSONRenderer):
    encoder_class = JSONEncoder


RENDERER = Renderer()  # the API's, and that of the answers built without ninja's validation

IfMatch = Header(None, alias="If-Match", description='获取时返回的 ETag，如 "3"')


def if_match_version(header: str | None) -> int | None:
    """The version named by `If-Match: "<version>"`; None when absent or `*` (which names no version)."""
    header = (header or "").strip()
    if not header or header == "*":
        return None
    try:
        return int(header.removeprefix("W/").strip().strip('"'))
    except ValueError:
        raise StaleVersionError(
            _("If-Match 中的版本标记 %(tag)s 无效，请使用获取时返回的 ETag") % {"tag": header}
        ) from None


def request_version(if_match: str | None, body_version: int | None) -> int | None:
    """The version an update is based on: If-Match, or a `version` in the body (as GET answered it);
    both at once must agree."""
    version = if_match_version(if_match)
    if version is None:
        return body_version
    if body_version is not None and body_version != version:
        raise StaleVersionError(_("请求体中的版本与 If-Match 不一致"))
    return version


def _date_in_range(value: datetime.date) -> datetime.date:
    if not date_in_range(value):
        raise PydanticCustomError(
            "date_range", "date out of range", {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
        )
    return value


# The API's bounded types (`core/inputs.py`): use them for every id, list year and date a client sends.
Date = Annotated[
    datetime.date,
    AfterValidator(_date_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"{DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()}",
        }
    ),
]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Offset = Annotated[int, Field(ge=0, le=ID_MAX - 1000)]


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pages with both numbers bounded: an offset must fit a 64-bit column."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=1000)
        offset: Offset = 0

        def window(self, max_limit: int) -> slice:
            """The rows of the page asked for, at most `max_limit` of them (as `paginate(max_limit=…)`)."""
            return slice(self.offset, self.offset + min(self.limit, max_limit))


def rows_page(request: HttpRequest, items: list[dict[str, Any]], count: int) -> HttpResponse:
    """A page of a list endpoint, `{"items": [...], "count": n}` as `paginate` answers it, from rows already
    read as plain values in the shape of the operation's item schema. It skips ninja's validation of each
    attribute of each row (about 0.3 ms a row, most of a 50-row answer); the operation still declares its
    paged schema (`response=`, with a `Query[Pagination.Input]`) for the document."""
    content = RENDERER.render(request, {"items": items, "count": count}, response_status=200)
    return HttpResponse(content, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")


class Parser(ninja.parser.Parser):
    """ninja's parser, refusing a NUL character in the query string of an operation that reads one
    (PostgreSQL stores none) with a 422 naming each parameter. JSON bodies are checked before any
    view, by `NulGuardMiddleware`: ninja turns any error of its body parser into a 400."""

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        fields = nul_fields(data)
        if fields:
            raise ValidationError(
                [{"type": "string_nul", "loc": ("query", *name.split(".")), "msg": "NUL"} for name in fields]
            )
        return super().parse_querydict(data, list_fields, request)
