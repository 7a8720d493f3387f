from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.core.http import AuthenticatedRequest

from .access import may
from .forms import PasswordChangeForm
from .passwords import PASSWORD_EXPIRED, password_change, password_change_reason
from .tokens import token_revoke, tokens_of


@login_required
def home(request: AuthenticatedRequest) -> HttpResponseRedirect:
    """Where a person lands, as after logging in: 我的待办, what waits for them whatever their role."""
    return redirect("todo")


def todo_context(request: HttpRequest) -> dict[str, Any] | None:
    """我的待办 of whoever administers accounts or their rights: the way to the admin."""
    user = request.user
    return {} if may(user, "accounts.manage") or may(user, "security.manage") else None  # type: ignore[arg-type]


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"person": request.user})


@login_required
@require_http_methods(["GET", "POST"])
def password(request: AuthenticatedRequest) -> HttpResponse:
    """The person's own password, the current one asked for; where the first login with a password an
    administrator set is sent before anything else."""
    reason = password_change_reason(request.user)
    required = reason is not None
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("home" if required else "accounts:profile")
    return render(
        request,
        "accounts/password.html",
        {"form": form, "required": required, "expired": reason == PASSWORD_EXPIRED},
    )


@login_required
@require_http_methods(["POST"])
def session(request: AuthenticatedRequest) -> JsonResponse:
    """Keep the session: the idle warning's button. Saving it moves its end a whole idle period on."""
    request.session.modified = True
    return JsonResponse({"seconds_left": request.session.get_session_cookie_age()})


@login_required
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The person's API tokens: when each was issued, last used and ends; those in force can be revoked."""
    days = settings.KEYPROJECTS_API_TOKEN_DAYS
    return render(request, "accounts/tokens.html", {"tokens": tokens_of(request.user), "days": days})


@login_required
@require_POST
def token_revoke_page(request: AuthenticatedRequest, pk: int) -> HttpResponseRedirect:
    token = token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("令牌“%(name)s”已吊销。") % {"name": token})
    return redirect("accounts:tokens")
