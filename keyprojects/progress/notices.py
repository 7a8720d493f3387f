"""Who is told when a monthly report moves: a report submitted (or resubmitted, or corrected) goes to
those who review it — the county officers of its county, or, where no county officer reviews it (a
project of the city itself, or one the county filled itself), the city office; a report returned or
accepted goes to the users of the project's owner.

This app hears its own events (`ReportSubmitted`, `ReportReturned`, `ReportAccepted`) and sends the
notifications in a background task, so that a submission on the deadline pays nothing for them. Each
notification is keyed by the report's event, so a task run twice tells no one twice."""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from keyprojects.accounts.access import ACCESS
from keyprojects.accounts.models import Role, User
from keyprojects.core.events import DomainEvent, ReportAccepted, ReportReturned, ReportSubmitted
from keyprojects.notifications.kinds import NotificationKind, register_kind
from keyprojects.notifications.models import Channel
from keyprojects.notifications.services import notify

from .models import MonthlyReport, ReportEvent

KIND_SUBMITTED = "report_submitted"
KIND_RETURNED = "report_returned"
KIND_ACCEPTED = "report_accepted"
ROBOTS_AND_MAIL = (Channel.EMAIL, Channel.WECOM, Channel.DINGTALK)

_EVENT_KINDS = {ReportSubmitted: KIND_SUBMITTED, ReportReturned: KIND_RETURNED, ReportAccepted: KIND_ACCEPTED}


def register_kinds() -> None:
    for kind in (
        NotificationKind("report_due", gettext_lazy("月报即将截止"), ROBOTS_AND_MAIL, order=10),
        NotificationKind("report_missing", gettext_lazy("月报缺报"), ROBOTS_AND_MAIL, order=11),
        NotificationKind("report_urged", gettext_lazy("催报"), ROBOTS_AND_MAIL, order=11),
        NotificationKind("round_open", gettext_lazy("调度期开始填报"), (Channel.EMAIL,), order=12),
        NotificationKind("review_waiting", gettext_lazy("月报待审核汇总"), (), order=13),
        NotificationKind(KIND_SUBMITTED, gettext_lazy("月报待审核"), ROBOTS_AND_MAIL, order=14),
        NotificationKind(KIND_RETURNED, gettext_lazy("月报被退回"), ROBOTS_AND_MAIL, order=15),
        NotificationKind(KIND_ACCEPTED, gettext_lazy("月报审核通过"), (), order=16),
    ):
        register_kind(kind)


def reports_moved(events: Sequence[DomainEvent]) -> None:
    """Subscriber: queue the notices of the reports that moved."""
    moves = [
        [_EVENT_KINDS[type(e)], e.report_id]
        for e in events
        if isinstance(e, ReportSubmitted | ReportReturned | ReportAccepted)
    ]
    if moves:
        send_report_notices.enqueue(moves)


def _review_roles(scope: str) -> list[str]:
    return [
        role for role, access in ACCESS.items() if "report.review" in access.may and access.acts_on == scope
    ]


def reviewers(report: MonthlyReport, writer_id: int | None) -> list[User]:
    """Those asked to review the report (whose queue it waits in, `selectors.waiting_for`): the county
    officers whose region holds its project, else the city office, which also reviews what a county
    filled on an owner's behalf — never the one who wrote it."""
    officers = [
        user
        for user in User.objects.filter(
            role__in=_review_roles("region"), is_active=True, organization__city_id=report.city_id
        ).select_related("organization__region")
        if not report.filled_on_behalf
        and user.organization is not None
        and report.project.region.path.startswith(user.organization.region.path)
        and user.pk != writer_id
    ]
    if officers:
        return officers
    office = User.objects.filter(
        role__in=_review_roles("city"), is_active=True, organization__city_id=report.city_id
    )
    return [user for user in office if user.pk != writer_id]


def owners(report: MonthlyReport) -> list[User]:
    if report.project.owner_id is None:
        return []
    return list(
        User.objects.filter(role=Role.PROJECT_OWNER, is_active=True, organization_id=report.project.owner_id)
    )


def _message(kind: str, report: MonthlyReport, event: ReportEvent) -> tuple[str, str]:
    names = {"project": report.project.name, "round": report.dispatch_round.title}
    if kind == KIND_SUBMITTED:
        title = _("%(project)s %(round)s月报待审核") % names
        body = _("%(actor)s提交了月报，请审核。") % {"actor": event.actor.display_name if event.actor else ""}
        if event.kind == ReportEvent.Kind.CORRECTED:
            body = _("%(actor)s更正了已通过的月报，原因：%(reason)s。请审核。") % {
                "actor": event.actor.display_name if event.actor else "",
                "reason": event.reason,
            }
    elif kind == KIND_RETURNED:
        title = _("%(project)s %(round)s月报被退回") % names
        body = _("退回原因：%(reason)s。请修改后重新提交。") % {"reason": event.reason}
    else:
        title = _("%(project)s %(round)s月报已审核通过") % names
        body = event.reason
    return title, body


@task()
def send_report_notices(moves: list[list]) -> int:
    """Notify about each `[kind, report_id]`; answers how many notifications were sent."""
    sent = 0
    ids = {report_id for _kind, report_id in moves}
    reports = MonthlyReport.objects.select_related("project__region", "dispatch_round").in_bulk(ids)
    for kind, report_id in moves:
        report = reports.get(report_id)
        event = (
            ReportEvent.objects.filter(report_id=report_id)
            .select_related("actor")
            .order_by("-created_at", "-id")
            .first()
        )
        if report is None or event is None:
            continue
        recipients = reviewers(report, event.actor_id) if kind == KIND_SUBMITTED else owners(report)
        title, body = _message(kind, report, event)
        url = reverse("progress:report", args=[report.pk])
        for user in recipients:
            sent += (
                notify(
                    recipient=user,
                    kind=kind,
                    title=title,
                    body=body,
                    url=url,
                    dedup_key=f"report-event:{event.pk}",
                )
                is not None
            )
    return sent
