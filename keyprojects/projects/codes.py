"""The national unified project code (统一项目代码, GB/T 40058-2021).

24 characters in five hyphen-joined segments: YYMM (or, in older codes, YYYY) · the GB/T 2260
region · the guiding department (2) · the project type (2) · a 5-digit serial and a check
character. The check algorithm is not published with the standard, so only the shape is checked.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from keyprojects.accounts.models import Region
from keyprojects.core.errors import ApplicationError

CODE_PATTERN = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5}[0-9X])$")


@dataclass(frozen=True)
class UnifiedCode:
    period: str
    region_code: str
    department: str
    project_type: str
    serial: str


def parse_code(raw: str) -> UnifiedCode:
    """Split a code into its segments, or raise ApplicationError on the `code` field."""
    code = raw.strip().upper()
    match = CODE_PATTERN.match(code)
    if not match:
        raise ApplicationError(
            _("统一项目代码格式不正确"),
            errors={"code": [_("统一项目代码应为24位，形如 2403-371526-04-01-52817X")]},
        )
    period, region_code, department, project_type, serial = match.groups()
    month = int(period[2:])
    year = int(period)
    if not (1 <= month <= 12 or 2000 <= year <= 2030):
        raise ApplicationError(
            _("统一项目代码格式不正确"), errors={"code": [_("统一项目代码的前4位应为赋码年月（YYMM）或年份")]}
        )
    return UnifiedCode(period, region_code, department, project_type, serial)


def normalize_code(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return raw.strip().upper()


def validate_code(raw: str, *, region: Region) -> str:
    """The normalised code, if its shape is right and its region segment is the project's region or
    one of the regions above it, by their code or a former one (a code minted before a region was
    re-coded stays valid); ApplicationError on the `code` field otherwise."""
    parsed = parse_code(raw)
    lineage = Region.objects.filter(code__in=[part for part in region.path.split("/") if part])
    allowed = {code for node in [region, *lineage] for code in node.codes}
    if parsed.region_code not in allowed:
        raise ApplicationError(
            _("统一项目代码与所属区域不符"),
            errors={
                "code": [
                    _("代码中的区划 %(code)s 不属于 %(region)s")
                    % {"code": parsed.region_code, "region": region.name}
                ]
            },
        )
    return raw.strip().upper()
