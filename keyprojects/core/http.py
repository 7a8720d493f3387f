"""Request types shared by the pages, and the headers of downloads."""

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from keyprojects.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """What a request looks like behind `login_required`, with django-htmx's details."""

    user: "User"
    htmx: HtmxDetails


_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def safe_filename(name: str, default: str = "download") -> str:
    """A file name fit for a header and a disk: no control characters (CR/LF would split the header),
    quotes or path separators."""
    cleaned = _UNSAFE_IN_FILENAME.sub("_", name).strip(" ._")
    return cleaned[:150] or default


def attachment(response: HttpResponse, filename: str, *, fallback: str = "") -> HttpResponse:
    """Offer the response as a download named `filename` in any language (RFC 5987 `filename*`), with
    `fallback` (or the name itself) as the plain ASCII `filename` for old clients; both made safe."""
    name = safe_filename(filename)
    plain = "".join(c if c.isascii() and c.isprintable() else "_" for c in safe_filename(fallback or name))
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response
