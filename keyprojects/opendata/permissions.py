from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User


def require_publish(user: User) -> None:
    if not may(user, "opendata.publish"):
        raise PermissionDenied(_("只有市重点项目办可以发布开放数据"))
