from django.urls import path

from . import views

app_name = "leaders"
urlpatterns = [
    path("", views.leader_page, name="mine"),
    path("task-forces/", views.task_force_list, name="task_forces"),
    path("task-forces/new/", views.task_force_create, name="task_force_create"),
    path("task-forces/<id:pk>/", views.task_force_detail, name="task_force"),
    path("task-forces/<id:pk>/edit/", views.task_force_edit, name="task_force_edit"),
]
