"""Pieces shared by every app's API router."""

from django.utils.translation import gettext as _
from ninja import Header

from .errors import StaleVersionError

IfMatch = Header(None, alias="If-Match", description='获取时返回的 ETag,如 "3"')


def if_match_version(header: str | None) -> int | None:
    """The version named by `If-Match: "<version>"`; None when absent or `*` (which names no version)."""
    header = (header or "").strip()
    if not header or header == "*":
        return None
    try:
        return int(header.removeprefix("W/").strip().strip('"'))
    except ValueError:
        raise StaleVersionError(
            _("If-Match 中的版本标记 %(tag)s 无效,请使用获取时返回的 ETag") % {"tag": header}
        ) from None
