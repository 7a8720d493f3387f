from django.urls import path

from . import views

app_name = "blockers"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("figures/", views.figures, name="figures"),
    path("inbox/", views.inbox, name="inbox"),
    path("settings/", views.blocker_settings, name="settings"),
    path("new/<id:project_pk>/", views.blocker_create, name="create"),
    path("<id:pk>/", views.blocker_detail, name="detail"),
    path("<id:pk>/act/", views.blocker_act, name="act"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<id:pk>/agenda/", views.meeting_agenda, name="agenda"),
    path("meetings/<id:pk>/decisions/", views.meeting_decision, name="decision"),
    path("meetings/<id:pk>/minutes.xlsx", views.meeting_minutes, name="minutes"),
    path("decisions/<id:pk>/done/", views.decision_done, name="decision_done"),
]
