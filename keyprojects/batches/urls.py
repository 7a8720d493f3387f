from django.urls import path

from . import views

app_name = "batches"

urlpatterns = [
    path("", views.batch_list, name="list"),
    path("<id:pk>/", views.batch_detail, name="detail"),
]
