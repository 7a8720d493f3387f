from django.urls import path

from . import views

app_name = "warroom"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wall/", views.wall, name="wall"),
]
