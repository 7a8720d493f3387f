import contextlib
import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .inputs import NUL_MESSAGE, nul_fields

# Every asset is served by the platform itself, so the policy can forbid any other origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not: CSP and Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class PageLanguageMiddleware(LocaleMiddleware):
    """Pages speak Chinese unless the person chose English with the language switch (a cookie);
    the API follows each request's Accept-Language, as clients expect."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateAnswersMiddleware:
    """Signed-in pages, exports and every API answer are the user's own: no cache may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


class NulGuardMiddleware:
    """Text with a NUL character (which PostgreSQL refuses) answers before any view reads it, naming each
    field: a page's query string with 400, an API request's JSON body with the API's 422 error (its query
    strings are checked by the API's parser, for the operations that read one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            fields = []
            if request.content_type == "application/json" and b"\\u0000" in request.body:
                with contextlib.suppress(ValueError):  # ninja answers a body that is not JSON
                    fields = nul_fields(json.loads(request.body))
            if fields:
                errors = {name: [str(NUL_MESSAGE)] for name in fields}
                return JsonResponse(
                    {"detail": _("请修正标出的错误"), "errors": errors},
                    status=422,
                    json_dumps_params={"ensure_ascii": False},
                )
        elif fields := nul_fields(request.GET):
            context = {"errors": [(name, NUL_MESSAGE) for name in fields]}
            return render(request, "core/bad_query.html", context, status=400)
        return self.get_response(request)
