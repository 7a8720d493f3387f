from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.accounts.access import may
from keyprojects.accounts.city_settings import can_edit_settings, settings_city
from keyprojects.core.errors import ApplicationError
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.settings_forms import edit_settings

from . import services
from .forms import CodeForm, ResetForm, SettingsForm, SignInCodeForm
from .models import TwoFactorSettings
from .rules import ENROL, PENDING, VERIFY, has_second_factor, second_factor_passed, second_factor_required


def _qr_svg(device: TOTPDevice) -> str:
    """The authenticator's enrolment link as an inline SVG QR code, drawn here (no image service)."""
    svg: str = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    return mark_safe(svg)  # noqa: S308 (segno's own markup: the link is the key and the username, encoded)  # nosec B308 B703


def _secret(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _codes_page(request: HttpRequest, codes: list[str], *, enrolled: bool = False) -> HttpResponse:
    return render(request, "twofactor/codes.html", {"codes": codes, "enrolled": enrolled})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: AuthenticatedRequest) -> HttpResponse:
    """两步验证 of the person: enrol an authenticator (QR code and secret, confirmed with a code), or, once
    enrolled, new recovery codes for a current code."""
    user = request.user
    if has_second_factor(user):
        context = {
            "form": CodeForm(),
            "codes_left": services.recovery_codes_left(user),
            "can_reset": may(user, "security.manage"),
        }
        return render(request, "twofactor/enabled.html", context)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = services.enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.apply_error(error)
        else:
            if PENDING in request.session:  # the code just given is this sign-in's second factor
                second_factor_passed(request, user)
            return _codes_page(request, codes, enrolled=True)
    device = services.enrolment_start(user=user)
    must_enrol = request.session.get(PENDING) == ENROL
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": _secret(device),
        "required": second_factor_required(user),
        "must_enrol": must_enrol,
        "can_edit_settings": can_edit_settings(user),
        "can_reset": may(user, "security.manage"),
        **({"user": AnonymousUser()} if must_enrol else {}),  # no navigation to pages still closed
    }
    return render(request, "twofactor/setup.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.apply_error(error)
        else:
            return _codes_page(request, codes)
    context = {"form": form, "codes_left": services.recovery_codes_left(request.user)}
    return render(request, "twofactor/enabled.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """The code step of sign-in, after the password."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if request.session.get(PENDING) != VERIFY:
        return redirect(target or settings.LOGIN_REDIRECT_URL)
    form = SignInCodeForm(request.POST or None)
    if form.is_valid():
        try:
            services.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.apply_error(error)
        else:
            second_factor_passed(request, request.user)
            return redirect(target or settings.LOGIN_REDIRECT_URL)
    # the page of a sign-in not yet complete, as the login page: no navigation to pages still closed
    context = {"form": form, "person": request.user, "user": AnonymousUser()}
    return render(request, "twofactor/verify.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def reset(request: AuthenticatedRequest) -> HttpResponse:
    """The security administrator resets a person's lost authenticator."""
    if not may(request.user, "security.manage"):
        raise PermissionDenied(_("只有安全管理员可以重置两步验证"))
    form = ResetForm(request.POST or None)
    if form.is_valid():
        try:
            person = services.second_factor_reset(actor=request.user, username=form.cleaned_data["username"])
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(
                request, _("已重置 %(name)s 的两步验证，其下次登录时须重新启用。") % {"name": person.username}
            )
            return redirect("twofactor:reset")
    return render(request, "twofactor/reset.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def city_settings(request: AuthenticatedRequest) -> HttpResponse:
    """The city office decides whether its accounts must sign in with a second factor."""
    city_id = settings_city(request.user)
    edit = edit_settings(
        request,
        record=lambda: TwoFactorSettings.for_city(city_id),
        form=lambda data, current: SettingsForm(
            data,
            initial={"city_office_required": current.city_office_required, "version": current.version},
        ),
        save=lambda form: services.two_factor_settings_update(
            user=request.user,
            city_office_required=form.cleaned_data["city_office_required"],
            version=form.cleaned_data["version"],
        ),
    )
    if edit.saved:
        messages.success(request, _("两步验证设置已保存"))
        return redirect("twofactor:settings")
    return render(request, "twofactor/settings.html", edit.context())
