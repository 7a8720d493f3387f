from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.notification_bell, name="bell"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<id:pk>/read/", views.notification_read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
    path("channels/", views.channels, name="channels"),
]
