from django.urls import path

from . import views

app_name = "inclusion"
urlpatterns = [
    path("", views.inclusion_list, name="list"),
    path("settings/", views.inclusion_settings, name="settings"),
    path("projects/<id:pk>/", views.inclusion_edit, name="edit"),
    path("projects/<id:pk>/clear/", views.inclusion_clear, name="clear"),
]
