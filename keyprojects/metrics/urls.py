from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("", views.rates, name="rates"),
    path("export.xlsx", views.rates_export, name="export"),
    path("settings/", views.settings_edit, name="settings"),
    path("projects/<id:pk>/monthly-plan/", views.monthly_plan_edit, name="monthly_plan"),
]
