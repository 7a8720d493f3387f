from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.tenancy import CityOwned


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    CHECKING = "checking", _("校验中")
    WRITING = "writing", _("写入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未导入")


class ImportJob(CityOwned):
    """An import of a project list run in the background: the file until it is read, how far the check
    has come, and the report once it is done."""

    city_from = "author"

    Status = JobStatus

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"), default=b"")  # emptied once the import has read it
    dry_run = models.BooleanField(_("仅校验"), default=False)
    language = models.CharField(max_length=16, default="zh-hans")  # the author's: the headers and the report
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(
        null=True, blank=True
    )  # `ImportResult.as_dict()`, or {"detail": …} for the file
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at"])]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.WRITING or self.finished:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
