from django.urls import path

from . import views

app_name = "schedule"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("projects/<id:project_id>/plan/", views.plan_create, name="plan_create"),
    path("nodes/<id:pk>/edit/", views.node_edit, name="node_edit"),
    path("nodes/<id:pk>/evidence/", views.node_evidence, name="evidence"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<id:pk>/", views.template_edit, name="template_edit"),
    path("settings/", views.settings_update, name="settings"),
]
