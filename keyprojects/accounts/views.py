from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from keyprojects.core.http import AuthenticatedRequest

from .access import may


@login_required
def home(request: AuthenticatedRequest) -> HttpResponseRedirect:
    """Where a person lands, as after logging in: 我的待办, what waits for them whatever their role."""
    return redirect("todo")


def todo_context(request: HttpRequest) -> dict[str, Any] | None:
    """我的待办 of whoever manages the accounts: the way to them."""
    return {} if may(request.user, "accounts.manage") else None  # type: ignore[arg-type]
