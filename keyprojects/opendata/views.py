"""The city office's open data page: how many projects are marked public, and the OC4IDS download."""

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from keyprojects.projects.selectors import ProjectFilters, project_list

from .exports import oc4ids_response
from .permissions import require_publish
from .selectors import public_projects

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest


@login_required
def index(request: "AuthenticatedRequest") -> HttpResponse:
    require_publish(request.user)
    filters = ProjectFilters.from_mapping(request.GET)
    context = {
        "public": public_projects(user=request.user, filters=filters).count(),
        "total": project_list(user=request.user, filters=filters).count(),
        "query": request.GET.urlencode(),
    }
    return render(request, "opendata/index.html", context)


@login_required
def download(request: "AuthenticatedRequest") -> HttpResponse:
    require_publish(request.user)
    return oc4ids_response(request, user=request.user, filters=ProjectFilters.from_mapping(request.GET))
