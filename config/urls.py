from django.contrib import admin
from django.urls import include, path

from keyprojects.accounts.views import home
from keyprojects.core.views import todo

from .api import api

urlpatterns = [
    path("", home, name="home"),
    path("todo/", todo, name="todo"),
    path("accounts/two-factor/", include("keyprojects.twofactor.urls")),
    path("accounts/", include("keyprojects.accounts.urls")),
    path("projects/", include("keyprojects.projects.urls")),
    path("schedule/", include("keyprojects.schedule.urls")),
    path("progress/", include("keyprojects.progress.urls")),
    path("metrics/", include("keyprojects.metrics.urls")),
    path("alerts/", include("keyprojects.alerts.urls")),
    path("statistics/", include("keyprojects.inclusion.urls")),
    path("adjustments/", include("keyprojects.adjustments.urls")),
    path("factors/", include("keyprojects.factors.urls")),
    path("blockers/", include("keyprojects.blockers.urls")),
    path("supervision/", include("keyprojects.supervision.urls")),
    path("leaders/", include("keyprojects.leaders.urls")),
    path("dashboard/", include("keyprojects.warroom.urls")),
    path("batches/", include("keyprojects.batches.urls")),
    path("sheets/", include("keyprojects.sheets.urls")),
    path("briefings/", include("keyprojects.briefings.urls")),
    path("opendata/", include("keyprojects.opendata.urls")),
    path("notifications/", include("keyprojects.notifications.urls")),
    path("audit/", include("keyprojects.audit.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler400 = "keyprojects.core.views.bad_request"
handler403 = "keyprojects.core.views.permission_denied"
handler404 = "keyprojects.core.views.page_not_found"
handler500 = "keyprojects.core.views.server_error"
