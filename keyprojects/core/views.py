"""Error answers outside any view: under /api/ in the API's JSON error shape, elsewhere Django's pages
(`templates/404.html`, `500.html`, …); and 我的待办, made of the apps' sections (`todo.py`)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from .todo import render_todo_sections

API_PREFIX = "/api/"


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(400, _("请求无效"))
    return defaults.bad_request(request, exception, **kwargs)


def permission_denied(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(403, _("您无权执行此操作"))
    return defaults.permission_denied(request, exception, **kwargs)


def page_not_found(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(404, _("未找到"))
    return defaults.page_not_found(request, exception, **kwargs)


def server_error(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(500, _("服务器内部错误，已记录此错误，请稍后重试"))
    return defaults.server_error(request, **kwargs)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """我的待办: every section the apps registered that has something for this person."""
    return render(request, "core/todo.html", {"sections": render_todo_sections(request)})
