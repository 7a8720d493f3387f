"""Reads of the sheets app, scoped to the user asking."""

from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User

from .models import ImportJob

RECENT_JOBS = 10


def import_job_access(user: User, job_id: int) -> ImportJob:
    """The user's own import job; another's, like a missing one, answers 404."""
    job = ImportJob.objects.defer("content").filter(pk=job_id, author=user).first()
    if job is None:
        raise Http404(_("导入任务不存在"))
    return job


def recent_jobs(user: User) -> list[ImportJob]:
    return list(ImportJob.objects.defer("content").filter(author=user)[:RECENT_JOBS])
