from django.urls import path

from . import views

app_name = "twofactor"
urlpatterns = [
    path("", views.setup, name="setup"),
    path("codes/", views.recovery_codes, name="codes"),
    path("verify/", views.verify, name="verify"),
    path("reset/", views.reset, name="reset"),
    path("settings/", views.city_settings, name="settings"),
]
