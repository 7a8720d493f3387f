from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .rules import ENROL, PENDING, VERIFY


class SecondFactorMiddleware:
    """A person whose sign-in waits for the second factor (`rules.PENDING`) is sent to the code step, or
    to enrol, from every other page; the API answers 403 saying so. Logging out and the language switch
    stay open. Sits below AuthenticationMiddleware and above the password-change one."""

    OPEN = {VERIFY: "twofactor:verify", ENROL: "twofactor:setup"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pending = request.session.get(PENDING)
        if pending in self.OPEN:
            step = reverse(self.OPEN[pending])
            if request.path not in {step, reverse("accounts:logout"), reverse("set_language")}:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("请先在登录页完成两步验证")},
                        status=403,
                        json_dumps_params={"ensure_ascii": False},
                    )
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(f"{step}?{query}" if query else step)
        return self.get_response(request)
