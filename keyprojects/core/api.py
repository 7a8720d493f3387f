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


def request_version(if_match: str | None, body_version: int | None) -> int | None:
    """The version an update is based on: If-Match, or a `version` in the body (as GET answered it);
    both at once must agree."""
    version = if_match_version(if_match)
    if version is None:
        return body_version
    if body_version is not None and body_version != version:
        raise StaleVersionError(_("请求体中的版本与 If-Match 不一致"))
    return version
