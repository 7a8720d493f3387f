from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_page, name="list"),
    path("export.xlsx", views.audit_export, name="export"),
]
