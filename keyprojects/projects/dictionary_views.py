"""The city office's page of its dictionary: one list per kind, each entry renamed, reordered, deactivated
or deleted in place, new ones added at the end; every write goes through `dictionary`."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.core.errors import ApplicationError
from keyprojects.core.forms import BootstrapForm
from keyprojects.core.http import AuthenticatedRequest

from . import dictionary
from .models import DictionaryEntry, DictionaryKind
from .vocabulary import dictionary_history


class EntryForm(BootstrapForm):
    label_model = DictionaryEntry
    wide_fields = frozenset({"label", "code"})

    label = forms.CharField(label=gettext_lazy("名称"), max_length=64)
    code = forms.CharField(
        label=gettext_lazy("代码"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("字母、数字、下划线、连字符或点；不填则自动生成。导入、导出和接口按代码识别"),
    )


def _kind(value: object) -> str:
    return str(value) if value in DictionaryKind.values else DictionaryKind.CATEGORY


def _back(kind: str) -> HttpResponse:
    return redirect(f"{reverse('projects:dictionary')}?kind={kind}")


def _refused(request: AuthenticatedRequest, error: ApplicationError) -> None:
    details = [str(m) for messages_ in error.errors.values() for m in messages_]
    messages.error(request, "；".join(details) if details else str(error.message))


@login_required
@require_http_methods(["GET", "POST"])
def dictionary_page(request: AuthenticatedRequest) -> HttpResponse:
    city_id = dictionary.dictionary_city(request.user)
    kind = _kind(request.GET.get("kind"))
    form = EntryForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            entry = dictionary.dictionary_entry_create(user=request.user, kind=kind, **form.cleaned_data)
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已添加“%(label)s”") % {"label": entry.label})
            return _back(kind)
    entries = list(DictionaryEntry.objects.filter(city_id=city_id, kind=kind).order_by("position", "id"))
    context: dict[str, Any] = {
        "kinds": DictionaryKind.choices,
        "kind": kind,
        "kind_label": DictionaryKind(kind).label,
        "entries": entries,
        "form": form,
        "settings_history": dictionary_history(entries=entries),
    }
    return render(request, "projects/dictionary.html", context)


@login_required
@require_POST
def dictionary_entry_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    kind = _kind(request.POST.get("kind"))
    active = {"1": True, "0": False}.get(request.POST.get("active", ""))
    label = request.POST.get("label")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        entry = dictionary.dictionary_entry_update(
            user=request.user, entry_id=pk, version=version, label=label, active=active
        )
    except ApplicationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已保存“%(label)s”") % {"label": entry.label})
    return _back(kind)


@login_required
@require_POST
def dictionary_entry_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dictionary.dictionary_entry_move(user=request.user, entry_id=pk, up=request.POST.get("up") == "1")
    return _back(_kind(request.POST.get("kind")))


@login_required
@require_POST
def dictionary_entry_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        dictionary.dictionary_entry_delete(user=request.user, entry_id=pk)
    except ApplicationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已删除"))
    return _back(_kind(request.POST.get("kind")))
