"""The batches page (集中开工, 观摩) and a batch with its projects."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from keyprojects.core.http import AuthenticatedRequest
from keyprojects.projects.permissions import require_project_access

from . import selectors

SHOWN = 500


@login_required
def batch_list(request: AuthenticatedRequest) -> HttpResponse:
    require_project_access(request.user)
    return render(request, "batches/batch_list.html", {"batches": selectors.batch_list(user=request.user)})


@login_required
def batch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_access(request.user, pk)
    projects = list(selectors.batch_projects(user=request.user, batch_id=pk)[:SHOWN])
    return render(request, "batches/batch_detail.html", {"batch": batch, "projects": projects})
