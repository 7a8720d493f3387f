from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list", permanent=False), name="home"),
    path("accounts/", include("keyprojects.accounts.urls")),
    path("projects/", include("keyprojects.projects.urls")),
    path("schedule/", include("keyprojects.schedule.urls")),
    path("progress/", include("keyprojects.progress.urls")),
    path("metrics/", include("keyprojects.metrics.urls")),
    path("alerts/", include("keyprojects.alerts.urls")),
    path("statistics/", include("keyprojects.progress.inclusion_urls")),
    path("notifications/", include("keyprojects.notifications.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
