import json

from django.core.serializers.json import DjangoJSONEncoder
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
    body = json.dumps(package, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return attachment(response, f"oc4ids-{now:%Y%m%d}.json")
