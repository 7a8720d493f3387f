"""Writes of in-app notifications: every app that tells a user something calls `notify`."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User

from .models import Notification


def notify(
    *, recipient: User, kind: str, title: str, body: str = "", url: str = "", dedup_key: str = ""
) -> Notification | None:
    """Send a notification; with a `dedup_key`, the same key to the same user is sent only once
    (answers None when it was already sent)."""
    if dedup_key and Notification.objects.filter(recipient=recipient, dedup_key=dedup_key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient, kind=kind, title=title, body=body, url=url, dedup_key=dedup_key
            )
    except IntegrityError:
        # Another run sent the same key between the check and the insert.
        if dedup_key:
            return None
        raise


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; someone else's answers 404 like a missing one."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise Http404(_("通知不存在"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; answers how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
