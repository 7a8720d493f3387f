from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.warning_list, name="list"),
    path("supervision.xlsx", views.supervision_export, name="supervision"),
    path("rules/", views.rules_edit, name="rules"),
]
