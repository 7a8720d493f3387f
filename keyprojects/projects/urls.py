from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<id:pk>/", views.project_detail, name="detail"),
    path("<id:pk>/edit/", views.project_edit, name="edit"),
    path("<id:pk>/transition/", views.project_transition, name="transition"),
]
