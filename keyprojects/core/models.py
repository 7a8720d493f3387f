from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first answer given to a request with an `Idempotency-Key`, replayed for retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    scope = models.CharField(max_length=128, help_text="the endpoint family, e.g. 'reports:create'")
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_once")]


class SettingsEvent(models.Model):
    """One changed field of a settings record (warning rules, rate bases, thresholds, templates, …):
    who, when, the old and new values as typed data (`core.history`), and why."""

    record = models.CharField(
        max_length=64, help_text="the settings model's label, e.g. 'alerts.warningrules'"
    )
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=64)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="settings_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["record", "object_id", "-created_at"])]
