"""The root of the REST API: it only wires each app's router and maps errors once.

Every error answers `{"detail": "<message>", "errors": {"<field>": ["<message>", …]}}` (errors only
where a field is at fault), in the language the request asks for.
"""

import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, ValidationError

from keyprojects.accounts.api import router as accounts_router
from keyprojects.accounts.auth import DEFAULT_AUTH
from keyprojects.adjustments.api import router as adjustments_router
from keyprojects.alerts.api import router as alerts_router
from keyprojects.audit.api import router as audit_router
from keyprojects.batches.api import router as batches_router
from keyprojects.blockers.api import router as blockers_router
from keyprojects.blockers.city_api import router as blockers_city_router
from keyprojects.briefings.api import router as briefings_router
from keyprojects.chains.api import router as chains_router
from keyprojects.core.api import RENDERER, Parser
from keyprojects.core.errors import ApplicationError
from keyprojects.core.inputs import DATE_RANGE_MESSAGE, NUL_MESSAGE
from keyprojects.core.openapi import DocumentedAPI
from keyprojects.factors.api import router as factors_router
from keyprojects.inclusion.api import router as inclusion_router
from keyprojects.leaders.api import router as leaders_router
from keyprojects.metrics.api import router as metrics_router
from keyprojects.notifications.api import router as notifications_router
from keyprojects.opendata.api import router as opendata_router
from keyprojects.progress.api import router as progress_router
from keyprojects.projects.api import dictionary_router, people_router
from keyprojects.projects.api import router as projects_router
from keyprojects.schedule.api import router as schedule_router
from keyprojects.sheets.api import router as sheets_router
from keyprojects.supervision.api import router as supervision_router
from keyprojects.warroom.api import router as warroom_router

api = DocumentedAPI(
    title="keyprojects API",
    version="1",
    description="重点项目全生命周期协同管理平台接口。除换取令牌外，请求须带 `Authorization: Bearer <token>`。",
    urls_namespace="api",
    auth=DEFAULT_AUTH,
    parser=Parser(),
    renderer=RENDERER,
)
api.add_router("", accounts_router)
api.add_router("", people_router)
api.add_router("", chains_router)
api.add_router("/projects", projects_router)
api.add_router("", dictionary_router)
api.add_router("", schedule_router)
api.add_router("", metrics_router)
api.add_router("", alerts_router)
api.add_router("", inclusion_router)
api.add_router("", progress_router)
api.add_router("", notifications_router)
api.add_router("/adjustments", adjustments_router)
api.add_router("", factors_router)
api.add_router("/blockers", blockers_router)
api.add_router("", blockers_city_router)
api.add_router("/supervision-notices", supervision_router)
api.add_router("", leaders_router)
api.add_router("", batches_router)
api.add_router("", warroom_router)
api.add_router("", sheets_router)
api.add_router("", briefings_router)
api.add_router("", opendata_router)
api.add_router("", audit_router)

# Where ninja puts a request value; the parameter's own name (e.g. "payload") follows a body source.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
_NAMED_SOURCES = {"body", "form", "file"}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source in _NAMED_SOURCES and parts:
            parts.pop(0)
    return ".".join(str(p) for p in parts if not isinstance(p, int)) or "__all__"


_DATE = gettext_lazy("请输入有效的日期，格式为 YYYY-MM-DD")
_NUMBER = gettext_lazy("请输入有效的数字")
_INTEGER = gettext_lazy("请输入整数")
_CHOICE = gettext_lazy("请选择有效的选项：%(expected)s")
# Messages for pydantic's error types; `ctx` fills the placeholders.
_VALIDATION_MESSAGES = {
    "missing": gettext_lazy("此字段为必填项"),
    "extra_forbidden": gettext_lazy("不接受此字段"),
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_max_digits": gettext_lazy("数字最多%(max_digits)s位"),
    "decimal_max_places": gettext_lazy("最多保留%(decimal_places)s位小数"),
    "decimal_whole_digits": gettext_lazy("整数部分最多%(whole_digits)s位"),
    "int_parsing": _INTEGER,
    "int_type": _INTEGER,
    "int_from_float": _INTEGER,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_parsing": gettext_lazy("请输入有效的时间"),
    "string_type": gettext_lazy("请输入文本"),
    "string_too_long": gettext_lazy("最多%(max_length)s个字符"),
    "string_too_short": gettext_lazy("至少%(min_length)s个字符"),
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "greater_than_equal": gettext_lazy("不能小于%(ge)s"),
    "greater_than": gettext_lazy("必须大于%(gt)s"),
    "less_than_equal": gettext_lazy("不能大于%(le)s"),
    "less_than": gettext_lazy("必须小于%(lt)s"),
    "bool_parsing": gettext_lazy("请输入 true 或 false"),
    "list_type": gettext_lazy("应为列表"),
    "json_invalid": gettext_lazy("不是有效的 JSON"),
    "model_type": gettext_lazy("请求体应为 JSON 对象"),
    "model_attributes_type": gettext_lazy("请求体应为 JSON 对象"),
    "dict_type": gettext_lazy("请求体应为 JSON 对象"),
    "date_range": DATE_RANGE_MESSAGE,
    "string_nul": NUL_MESSAGE,
}


# ninja's own refusals, which it words in English.
_NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy("请求体不是有效的 JSON"),
    "CSRF check Failed": gettext_lazy("CSRF 校验失败，请刷新页面后重试"),
}


def _validation_message(error: dict[str, Any]) -> str:
    """A readable message, in the request's language, for one pydantic error."""
    message = _VALIDATION_MESSAGES.get(error.get("type", ""), gettext_lazy("输入的值无效"))
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:
        # pydantic words the choices in English ("'a', 'b' or 'c'"); list them plainly instead.
        ctx["expected"] = " / ".join(re.findall(r"'([^']*)'", str(ctx["expected"]))) or ctx["expected"]
    try:
        return str(message) % ctx
    except (KeyError, TypeError, ValueError):
        return str(message)


def _error(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(_validation_message(error))
    return _error(request, 422, _("请修正标出的错误"), errors)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, str(exc.message), exc.field_messages())


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("请先登录，或提供有效的接口令牌"))
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(_NINJA_MESSAGES.get(exc.message, exc.message)))


@api.exception_handler(MultiPartParserError)
def broken_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _error(request, 400, _("请求体不是有效的表单（multipart/form-data）"))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("您无权执行此操作"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or _("未找到"))


logger = logging.getLogger("django.request")


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen: logged with its traceback as Django logs a page's, answered in the error
    shape under every settings (never Django's HTML page)."""
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    got_request_exception.send(sender=None, request=request)
    return _error(request, 500, _("服务器内部错误，已记录此错误，请稍后重试"))
