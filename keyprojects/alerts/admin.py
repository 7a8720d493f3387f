from django.contrib import admin

from .models import ProjectWarning, WarningRules

admin.site.register(WarningRules)


@admin.register(ProjectWarning)
class ProjectWarningAdmin(admin.ModelAdmin):
    list_display = ("project", "rule", "color", "since", "is_active")
    list_filter = ("is_active", "color", "rule")
    raw_id_fields = ("project",)
