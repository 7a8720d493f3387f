"""Writes of monthly dispatch (月度调度): rounds, reports, review and corrections. Pages, the API,
the demo and commands all go through these functions.

A report's life: submitted → accepted, or returned (with a reason) → edited and resubmitted (the same
row) → … Once accepted it never changes: a correction is a new version that supersedes it and goes
through review again; until the correction is accepted the accepted version stays in force.
"""

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.accounts.selectors import require_city
from keyprojects.audit.recording import bulk_created
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.templatetags.money import wan
from keyprojects.core.text import join_list
from keyprojects.core.versions import check_version, require_version
from keyprojects.projects.locks import lock_project
from keyprojects.projects.models import Pipeline, Project, Stage
from keyprojects.projects.permissions import project_access, visible_projects

from . import permissions
from .events import report_event
from .models import (
    DispatchRound,
    DraftPhoto,
    MonthlyReport,
    ProgressSettings,
    ReportDraft,
    ReportEvent,
    ReportPhoto,
)
from .photos import inspect_photo
from .selectors import (
    MonthState,
    ProjectLedger,
    attach_figures,
    month_start,
    month_state,
    previous_month,
    project_ledger,
    report_access,
    report_revision,
)

MONEY_PARTS = ("construction", "installation", "equipment", "other")
MAX_AMOUNT = Decimal("1e12")
MAX_REASON = 255
MAX_PHOTOS = 12
# What a draft keeps of the report form, as typed (a half-typed amount too): checked only on submission.
DRAFT_FIELDS = (*MONEY_PARTS, "total", "progress_text", "problems", "workers", "override_reason")
MAX_DRAFT_TEXT = 4000


class ReportFields(TypedDict, total=False):
    """What a reporter fills in. `total` is optional: when a client sends the total it computed, it
    must equal the sum of the four parts; the stored total is always that sum."""

    construction: Required[Decimal]
    installation: Required[Decimal]
    equipment: Required[Decimal]
    other: Required[Decimal]
    progress_text: Required[str]
    problems: str
    workers: int
    override_reason: str
    total: Decimal | None
    photos: Sequence[UploadedFile]


def _month_label(month: datetime.date) -> str:
    return _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}


def _invalid(field: str, message: Message) -> ApplicationError:
    return ApplicationError(message, errors={field: [message]})


def _reason(value: str, field: str, *, required: Message | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _invalid(field, required)
    if len(value) > MAX_REASON:
        raise _invalid(field, _("不能超过%(n)s个字") % {"n": MAX_REASON})
    return value


@transaction.atomic
def round_open(
    *,
    user: User,
    year: int,
    month: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    county_may_fill: bool = False,
    project_ids: Iterable[int] | None = None,
) -> DispatchRound:
    """Open the dispatch round (期号) of a month. By default it holds every project of that year's list
    in 调度库 that has not been withdrawn."""
    permissions.require_open_round(user)
    city_id = require_city(user)
    errors: dict[str, list[Message]] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = [_("年度应在2000到2100之间")]
    if not 1 <= month <= 12:
        errors["month"] = [_("月份应在1到12之间")]
    elif DispatchRound.objects.filter(city_id=city_id, year=year, month=month).exists():
        errors["month"] = [
            _("%(year)s年%(month)s月的调度期已经开启，每月只有一期") % {"year": year, "month": month}
        ]
    if "year" not in errors and "month" not in errors:
        # A round's window lies within a year of its month, or of today (a past month entered late).
        low, high = sorted((datetime.date(year, month, 1), timezone.localdate()))
        low, high = datetime.date(low.year - 1, low.month, 1), datetime.date(high.year + 1, high.month, 28)
        for field, value in (("opens_on", opens_on), ("closes_on", closes_on)):
            if not low <= value <= high:
                errors[field] = [
                    _("须在该月或今天前后一年内（%(low)s 至 %(high)s）")
                    % {"low": low.isoformat(), "high": high.isoformat()}
                ]
    if closes_on < opens_on and "closes_on" not in errors:
        errors["closes_on"] = [_("填报截止日期不能早于开始日期")]
    if project_ids is None:
        projects = list(
            Project.objects.filter(city_id=city_id, year=year, pipeline=Pipeline.SCHEDULED).exclude(
                stage=Stage.WITHDRAWN
            )
        )
    else:
        wanted = set(project_ids)
        projects = list(visible_projects(user).filter(pk__in=wanted))
        unknown = wanted - {p.pk for p in projects}
        if unknown:
            errors["project_ids"] = [
                _("以下项目不存在：%(ids)s") % {"ids": join_list(str(i) for i in sorted(unknown))}
            ]
    if not projects and "project_ids" not in errors:
        errors["project_ids"] = [_("调度期至少要包含一个项目；该年度调度库中没有项目")]
    if errors:
        raise ApplicationError(_("无法开启调度期"), errors=errors)
    try:
        with transaction.atomic():
            dispatch_round = DispatchRound.objects.create(
                city_id=city_id,
                year=year,
                month=month,
                title=_("%(year)s年第%(month)s期") % {"year": year, "month": month},
                opens_on=opens_on,
                closes_on=closes_on,
                county_may_fill=county_may_fill,
                created_by=user,
            )
    except IntegrityError:
        raise _invalid("month", _("该月的调度期已经开启，每月只有一期")) from None
    dispatch_round.projects.set(projects)
    return dispatch_round


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _amount_error(amount: Decimal | None) -> Message | None:
    if amount is None:
        return _("请填写金额（万元），没有发生请填0")
    if amount < 0:
        return _("金额不能为负数")
    if int(amount.as_tuple().exponent) < -2:
        return _("金额最多保留两位小数")
    if amount >= MAX_AMOUNT:
        return _("金额过大")
    return None


def _checked_values(
    project: Project, month: datetime.date, fields: ReportFields, *, ledger: ProjectLedger
) -> dict[str, Any]:
    """The model values of a report after every consistency rule, `ledger` being the project's
    (`selectors.project_ledger`); all errors are raised together."""
    errors: dict[str, list[Message]] = {}
    parts: dict[str, Decimal] = {}
    for name in MONEY_PARTS:
        amount = _amount(fields.get(name))
        message = _amount_error(amount)
        if message is not None:
            errors[name] = [message]
        else:
            parts[name] = amount  # type: ignore[assignment]
    workers = fields.get("workers") or 0
    if not isinstance(workers, int) or workers < 0:
        errors["workers"] = [_("在岗工人数应为不小于0的整数")]
    progress_text = (fields.get("progress_text") or "").strip()
    if not progress_text:
        errors["progress_text"] = [_("请填写本月形象进度")]
    override_reason = (fields.get("override_reason") or "").strip()
    if len(override_reason) > MAX_REASON:
        errors["override_reason"] = [_("不能超过%(n)s个字") % {"n": MAX_REASON}]
    if not errors:
        total = sum(parts.values(), Decimal(0))
        claimed = _amount(fields.get("total"))
        if fields.get("total") not in (None, "") and claimed != total:
            errors["total"] = [
                _(
                    "本月完成投资应等于建筑工程、安装工程、设备工器具购置、其他费用四项之和 %(sum)s 万元，填写的是 %(claimed)s 万元"
                )
                % {"sum": wan(total), "claimed": fields.get("total")}
            ]
        cumulative = ledger.cumulative_with(month=month, total=total)
        if cumulative > project.total_investment and not override_reason:
            errors["override_reason"] = [
                _(
                    "自开工累计完成投资将达到 %(cumulative)s 万元，超过项目总投资 %(total)s 万元；如确实超出，请填写超总投资说明"
                )
                % {"cumulative": wan(cumulative), "total": wan(project.total_investment)}
            ]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    return {
        **parts,
        "total": sum(parts.values(), Decimal(0)),
        "progress_text": progress_text,
        "problems": (fields.get("problems") or "").strip(),
        "workers": workers,
        "override_reason": override_reason,
    }


def _attach_photos(report: MonthlyReport, uploads: Sequence[UploadedFile]) -> list[ReportPhoto]:
    """All the photos or none: each is checked before any is stored."""
    if not uploads:
        return []
    if report.photos.count() + len(uploads) > MAX_PHOTOS:
        raise _invalid("photos", _("每份报告最多%(n)s张照片") % {"n": MAX_PHOTOS})
    limit = ProgressSettings.for_city(report.city_id).photo_max_bytes
    checked = [(upload, inspect_photo(upload, max_bytes=limit)) for upload in uploads]
    photos = []
    for upload, info in checked:
        photo = ReportPhoto(report=report, taken_at=info.taken_at, size=upload.size or 0)
        photo.image.save(f"{uuid.uuid4().hex}.{info.extension}", File(upload), save=False)
        photo.save()
        photos.append(photo)
    return photos


def _check_sequence(state: MonthState, month: datetime.date) -> None:
    """One current report per project and month, and last month's report first when the project was
    in last month's round."""
    if state.current_status is not None:
        raise _invalid(
            "month",
            _(
                "%(month)s的报告已经提交（%(status)s），不能重复提交；被退回的报告请修改后重新提交，已通过的报告如需更正请提交更正"
            )
            % {"month": _month_label(month), "status": MonthlyReport.Status(state.current_status).label},
        )
    previous = previous_month(month)
    if previous in state.rounds and not state.previous_reported:
        raise _invalid("month", _("请先填报%(month)s的报告") % {"month": _month_label(previous)})


@transaction.atomic
def report_submit(
    *, user: User, project_id: int, month: datetime.date, **fields: Unpack[ReportFields]
) -> MonthlyReport:
    """A project's report for a month of a round that holds it. The window must have opened; a report
    sent after the window closed is still taken, and counts as late (see `selectors.round_entries`).
    The report comes back with its figures (`selectors.attach_figures`): the ledger it was checked
    against is still the one in force, as a submitted report changes no figure in force."""
    project = project_access(user, project_id, for_update=True)
    month = month_start(month)
    state = month_state(project, month)
    dispatch_round = state.rounds.get(month)
    permissions.require_fill(user, project, dispatch_round)
    if dispatch_round is None:
        raise _invalid("month", _("%(month)s没有包含此项目的调度期") % {"month": _month_label(month)})
    if timezone.localdate() < dispatch_round.opens_on:
        raise _invalid(
            "month",
            _("%(title)s自%(day)s起开始填报")
            % {"title": dispatch_round.title, "day": dispatch_round.opens_on},
        )
    _check_sequence(state, month)
    ledger = project_ledger(project)
    values = _checked_values(project, month, fields, ledger=ledger)
    report = MonthlyReport.objects.create(
        project=project,
        dispatch_round=dispatch_round,
        month=month,
        status=MonthlyReport.Status.SUBMITTED,
        filled_on_behalf=permissions.fills_on_behalf(user),
        submitted_by=user,
        submitted_at=timezone.now(),
        **values,
    )
    event = report_event(report=report, kind=ReportEvent.Kind.SUBMITTED, actor=user)
    if state.drafted:
        _take_draft(report)
    _attach_photos(report, fields.get("photos") or [])
    return attach_figures(report, ledger, [event])


def _take_draft(report: MonthlyReport) -> None:
    """The month's draft, if any, ends with the submission; its photos (the same files) become the report's."""
    draft = ReportDraft.objects.filter(
        city_id=report.city_id, project=report.project, month=report.month
    ).first()
    if draft is None:
        return
    photos = ReportPhoto.objects.bulk_create(
        ReportPhoto(
            city_id=report.city_id,
            report=report,
            image=photo.image.name,
            taken_at=photo.taken_at,
            size=photo.size,
        )
        for photo in draft.photos.all()
    )
    bulk_created(photos)
    draft.delete()


def _draft_target(
    user: User, project_id: int, month: datetime.date, *, photos: bool = False
) -> tuple[Project, DispatchRound]:
    """The project (locked) and round of a month the user may fill and that has no report yet; for
    `photos`, also of a month whose report the user may resubmit (returned) or correct (accepted): its
    photos wait with the month's draft until the form is sent (`_take_draft`)."""
    project = project_access(user, project_id, for_update=True)
    state = month_state(project, month)
    if photos and state.current_status in (MonthlyReport.Status.RETURNED, MonthlyReport.Status.ACCEPTED):
        report = MonthlyReport.objects.get(project=project, month=month, is_current=True)
        permissions.require_write_report(user, report)
        return project, report.dispatch_round
    dispatch_round = state.rounds.get(month)
    permissions.require_fill(user, project, dispatch_round)
    if dispatch_round is None:
        raise _invalid("month", _("%(month)s没有包含此项目的调度期") % {"month": _month_label(month)})
    if state.current_status is not None:
        raise _invalid("month", _("%(month)s的报告已经提交，草稿不再保存") % {"month": _month_label(month)})
    return project, dispatch_round


@transaction.atomic
def draft_save(
    *, user: User, project_id: int, month: datetime.date, fields: Mapping[str, Any]
) -> ReportDraft:
    """Keep the report form as typed, to be finished later; nothing is checked but the length of each value."""
    month = month_start(month)
    project, dispatch_round = _draft_target(user, project_id, month)
    values = {name: str(fields.get(name) or "").strip()[:MAX_DRAFT_TEXT] for name in DRAFT_FIELDS}
    draft, _created = ReportDraft.objects.update_or_create(
        city_id=project.city_id,
        project=project,
        month=month,
        defaults={"dispatch_round": dispatch_round, "fields": values, "saved_by": user},
    )
    return draft


@transaction.atomic
def draft_photo_add(
    *,
    user: User,
    project_id: int,
    month: datetime.date,
    photo: UploadedFile | None,
    taken_at: datetime.datetime | None = None,
) -> DraftPhoto:
    """One site photo for a month's report not submitted yet, kept with its draft (made if there is none).
    `taken_at` is the moment the device read from the original when it sent a smaller copy without EXIF;
    the photo's own EXIF time comes first."""
    month = month_start(month)
    project, dispatch_round = _draft_target(user, project_id, month, photos=True)
    if photo is None:
        raise _invalid("photos", _("请选择要上传的照片"))
    draft, _created = ReportDraft.objects.get_or_create(
        city_id=project.city_id,
        project=project,
        month=month,
        defaults={"dispatch_round": dispatch_round, "saved_by": user},
    )
    if draft.photos.count() >= MAX_PHOTOS:
        raise _invalid("photos", _("每份报告最多%(n)s张照片") % {"n": MAX_PHOTOS})
    info = inspect_photo(photo, max_bytes=ProgressSettings.for_city(project.city_id).photo_max_bytes)
    draft_photo = DraftPhoto(draft=draft, taken_at=info.taken_at or taken_at, size=photo.size or 0)
    draft_photo.image.save(f"{uuid.uuid4().hex}.{info.extension}", File(photo), save=False)
    draft_photo.save()
    return draft_photo


@transaction.atomic
def draft_photo_remove(*, user: User, photo_id: int) -> None:
    photo = DraftPhoto.objects.select_related("draft").filter(pk=photo_id).first()
    if photo is None:
        raise Http404(_("照片不存在"))
    _draft_target(user, photo.draft.project_id, photo.draft.month, photos=True)
    photo.delete()
    transaction.on_commit(lambda: photo.image.delete(save=False))


def _locked_report(user: User, report_id: int) -> MonthlyReport:
    """The report, locked after its project (`projects.locks`)."""
    report = report_access(user, report_id)
    lock_project(report.project_id)
    locked = (
        MonthlyReport.objects.select_for_update(of=("self",))
        .select_related("project", "project__region", "dispatch_round")
        .filter(pk=report.pk)
        .first()
    )
    if locked is None:
        raise Http404(_("月度报告不存在"))
    return locked


def _refuse_if_accepted(report: MonthlyReport, field: str) -> None:
    if report.status == MonthlyReport.Status.ACCEPTED:
        raise _invalid(field, _("已通过审核的报告不能修改；如需更正，请提交更正并说明原因"))


@transaction.atomic
def report_resubmit(
    *, user: User, report_id: int, revision: int | None, **fields: Unpack[ReportFields]
) -> MonthlyReport:
    """Edit a returned report and send it for review again (the same row; a `resubmitted` event).
    `revision` is the report's revision the edit was based on (the ETag)."""
    report = _locked_report(user, report_id)
    permissions.require_write_report(user, report)
    revision = require_version(revision, missing=_("修改报告须提供所依据的版本（If-Match）"))
    check_version(
        report_revision(report),
        revision,
        stale=_("该报告已有新的变化（被审核或被他人修改），请刷新后重新编辑"),
    )
    _refuse_if_accepted(report, "__all__")
    if report.status != MonthlyReport.Status.RETURNED:
        raise _invalid("__all__", _("报告正在审核中，只有被退回的报告可以修改后重新提交"))
    values = _checked_values(report.project, report.month, fields, ledger=project_ledger(report.project))
    for name, value in values.items():
        setattr(report, name, value)
    report.status = MonthlyReport.Status.SUBMITTED
    report.reviewed_by = None
    report.reviewed_at = None
    report.return_reason = ""
    report.save()
    report_event(report=report, kind=ReportEvent.Kind.RESUBMITTED, actor=user)
    _take_draft(report)
    _attach_photos(report, fields.get("photos") or [])
    return report


class Decision:
    ACCEPT = "accept"
    RETURN = "return"
    CHOICES = (ACCEPT, RETURN)


@transaction.atomic
def report_review(*, user: User, report_id: int, decision: str, reason: str = "") -> MonthlyReport:
    """Accept a submitted report, or return it to the reporter with a reason."""
    report = _locked_report(user, report_id)
    permissions.require_review(user, report)
    if decision not in Decision.CHOICES:
        raise _invalid("decision", _("审核结论只能是通过或退回"))
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise _invalid(
            "decision",
            _("该报告当前为“%(status)s”，不在待审核状态") % {"status": report.get_status_display()},
        )
    required = _("退回报告须说明原因") if decision == Decision.RETURN else None
    reason = _reason(reason, "reason", required=required)
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    if decision == Decision.ACCEPT:
        report.status = MonthlyReport.Status.ACCEPTED
        report.return_reason = ""
        report_event(report=report, kind=ReportEvent.Kind.ACCEPTED, actor=user, reason=reason)
    else:
        report.status = MonthlyReport.Status.RETURNED
        report.return_reason = reason
        report_event(report=report, kind=ReportEvent.Kind.RETURNED, actor=user, reason=reason)
    report.save()
    return report


MAX_BATCH = 100


@dataclass(frozen=True)
class Refusal:
    report_id: int
    message: str


@dataclass(frozen=True)
class BatchAccepted:
    accepted: list[MonthlyReport]
    refused: list[Refusal]


def reports_accept(*, user: User, report_ids: Sequence[int], reason: str = "") -> BatchAccepted:
    """Accept several reports at once, each through `report_review` with all its rules and in a transaction
    of its own: a report it refuses (already reviewed, written by this user, out of its region, gone) is
    answered with why, and the others are accepted all the same."""
    if not permissions.can_review_anything(user):
        raise PermissionDenied(_("只有县（市、区）和市重点项目办审核月度报告"))
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        raise _invalid("reports", _("请勾选要通过的报告"))
    if len(ids) > MAX_BATCH:
        raise _invalid("reports", _("一次最多通过%(n)s份报告") % {"n": MAX_BATCH})
    accepted: list[MonthlyReport] = []
    refused: list[Refusal] = []
    for report_id in ids:
        try:
            accepted.append(
                report_review(user=user, report_id=report_id, decision=Decision.ACCEPT, reason=reason)
            )
        except ApplicationError as error:
            refused.append(Refusal(report_id, str(error.message)))
        except (PermissionDenied, Http404) as error:
            refused.append(Refusal(report_id, str(error) or _("月度报告不存在")))
    return BatchAccepted(accepted, refused)


def _corrected_already(old: MonthlyReport) -> Message:
    """Who corrected this version first, and when: the one who corrects it too sees whose version to read."""
    newer = old.superseded_by.select_related("submitted_by").first()
    if newer is None:
        return _("该版本已有更正，请在最新版本上操作")
    return _("该版本已由%(name)s于%(time)s更正为第%(version)s版（%(status)s），请在最新版本上操作") % {
        "name": newer.submitted_by.display_name,
        "time": timezone.localtime(newer.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "version": newer.version,
        "status": newer.get_status_display(),
    }


@transaction.atomic
def report_correct(
    *, user: User, report_id: int, reason: str, **fields: Unpack[ReportFields]
) -> MonthlyReport:
    """Correct an accepted report: a new version that supersedes it, with the reason, to be reviewed
    again. The accepted version stays in force until the correction is accepted."""
    old = _locked_report(user, report_id)
    permissions.require_write_report(user, old)
    if not old.is_current:
        raise _invalid("__all__", _corrected_already(old))
    if old.status != MonthlyReport.Status.ACCEPTED:
        raise _invalid("__all__", _("只能更正已通过审核的最新版本；待审核或被退回的报告请直接修改"))
    reason = _reason(reason, "reason", required=_("更正须说明原因"))
    values = _checked_values(old.project, old.month, fields, ledger=project_ledger(old.project))
    old.is_current = False
    old.save(update_fields=["is_current"])
    report = MonthlyReport.objects.create(
        project=old.project,
        dispatch_round=old.dispatch_round,
        month=old.month,
        version=old.version + 1,
        supersedes=old,
        correction_reason=reason,
        status=MonthlyReport.Status.SUBMITTED,
        filled_on_behalf=permissions.fills_on_behalf(user),
        submitted_by=user,
        submitted_at=timezone.now(),
        **values,
    )
    report_event(report=report, kind=ReportEvent.Kind.CORRECTED, actor=user, reason=reason)
    _take_draft(report)
    _attach_photos(report, fields.get("photos") or [])
    return report


@transaction.atomic
def report_photos_add(*, user: User, report_id: int, photos: Sequence[UploadedFile]) -> list[ReportPhoto]:
    """Add site photos to a report that is not accepted yet (an accepted report is immutable)."""
    report = _locked_report(user, report_id)
    permissions.require_write_report(user, report)
    _refuse_if_accepted(report, "photos")
    if not photos:
        raise _invalid("photos", _("请选择要上传的照片"))
    return _attach_photos(report, photos)
