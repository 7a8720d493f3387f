"""The batches page (集中开工, 观摩) and a batch with its projects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keyprojects.accounts.access import may
from keyprojects.core.errors import ApplicationError
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.projects.permissions import has_project_access, require_project_access

from . import selectors, services
from .forms import BatchForm
from .models import Batch

SHOWN = 500


@login_required
def batch_list(request: AuthenticatedRequest) -> HttpResponse:
    require_project_access(request.user)
    return render(
        request,
        "batches/batch_list.html",
        {"batches": selectors.batch_list(user=request.user), "can_manage": can_manage(request)},
    )


def can_manage(request: AuthenticatedRequest) -> bool:
    return has_project_access(request.user) and may(request.user, "batch.manage")


def _form_page(request: AuthenticatedRequest, batch: Batch | None) -> HttpResponse:
    if not can_manage(request):
        raise PermissionDenied(_("只有市重点项目办可以登记集中开工和观摩"))
    form = BatchForm(request.POST or None, city_id=request.user.city_id, batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.batch_record(
                user=request.user, batch_id=batch.pk if batch else None, **form.values()
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已保存"))
            return redirect("batches:detail", saved.pk)
    return render(request, "batches/batch_form.html", {"form": form, "batch": batch})


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request: AuthenticatedRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def batch_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not can_manage(request):
        raise PermissionDenied(_("只有市重点项目办可以登记集中开工和观摩"))
    return _form_page(request, selectors.batch_of_city(request.user, pk))


@login_required
def batch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_access(request.user, pk)
    projects = list(selectors.batch_projects(user=request.user, batch_id=pk)[:SHOWN])
    return render(
        request,
        "batches/batch_detail.html",
        {"batch": batch, "projects": projects, "can_manage": can_manage(request)},
    )
