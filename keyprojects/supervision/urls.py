from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("export.xlsx", views.notice_export, name="export"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.notice_create, name="create"),
    path("<id:pk>/", views.notice_detail, name="detail"),
    path("<id:pk>/act/", views.notice_act, name="act"),
]
