"""The briefing's downloads, answered alike by the page and the API."""

import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.http import attachment
from keyprojects.projects.selectors import ProjectFilters

from .docx import briefing_docx
from .layout import briefing_document
from .pdf import briefing_pdf
from .selectors import briefing

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", briefing_docx),
    "pdf": ("application/pdf", briefing_pdf),
}


def briefing_download(
    *, user: User, month: datetime.date, today: datetime.date, filters: ProjectFilters, kind: str
) -> HttpResponse:
    content_type, write = FORMATS[kind]
    found = briefing(user=user, month=month, today=today, filters=filters)
    response = HttpResponse(write(briefing_document(found)), content_type=content_type)
    name = _("%(scope)s重点项目通报-%(month)s") % {
        "scope": found.scope_name,
        "month": month.strftime("%Y-%m"),
    }
    return attachment(response, f"{name}.{kind}", fallback=f"briefing-{month:%Y-%m}.{kind}")
