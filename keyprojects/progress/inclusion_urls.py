from django.urls import path

from . import inclusion_views

app_name = "inclusion"
urlpatterns = [
    path("", inclusion_views.inclusion_list, name="list"),
    path("settings/", inclusion_views.inclusion_settings, name="settings"),
    path("projects/<id:pk>/", inclusion_views.inclusion_edit, name="edit"),
    path("projects/<id:pk>/clear/", inclusion_views.inclusion_clear, name="clear"),
]
