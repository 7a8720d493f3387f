import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from keyprojects.accounts.models import User
from keyprojects.core.http import attachment
from keyprojects.projects.selectors import ProjectFilters

from .selectors import oc4ids_package


def oc4ids_response(request: HttpRequest, *, user: User, filters: ProjectFilters) -> HttpResponse:
    """The package as a JSON download, its `uri` the address it was asked at."""
    now = timezone.now()
    package = oc4ids_package(user=user, filters=filters, uri=request.build_absolute_uri(), now=now)
    # the package holds only strings and numbers (`oc4ids.py` writes dates and money itself): the C encoder
    body = json.dumps(package, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return attachment(response, f"oc4ids-{now:%Y%m%d}.json")
