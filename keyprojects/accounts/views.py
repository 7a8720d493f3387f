from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from keyprojects.core.http import AuthenticatedRequest

from .access import may


@login_required
def home(request: AuthenticatedRequest) -> HttpResponseRedirect:
    """Where a person lands after logging in: account management for the system administrator, the
    project list for everyone else."""
    if may(request.user, "accounts.manage"):
        return redirect("admin:index")
    return redirect("projects:list")
