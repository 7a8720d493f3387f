from django.urls import path

from . import views

app_name = "inclusion"
urlpatterns = [
    path("", views.inclusion_list, name="list"),
    path("settings/", views.inclusion_settings, name="settings"),
    path("projects/<int:pk>/", views.inclusion_edit, name="edit"),
    path("projects/<int:pk>/clear/", views.inclusion_clear, name="clear"),
]
