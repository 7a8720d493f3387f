from django.urls import path

from . import views

app_name = "batches"

urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_create, name="create"),
    path("<id:pk>/", views.batch_detail, name="detail"),
    path("<id:pk>/edit/", views.batch_edit, name="edit"),
]
