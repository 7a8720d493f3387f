from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from keyprojects.core.http import AuthenticatedRequest

from .models import Role


@login_required
def home(request: AuthenticatedRequest) -> HttpResponseRedirect:
    """Where a person lands after logging in: account management for the system administrator, the
    project list for everyone else."""
    if request.user.role == Role.SYSTEM_ADMIN:
        return redirect("admin:index")
    return redirect("projects:list")
