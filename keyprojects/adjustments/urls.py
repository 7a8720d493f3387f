from django.urls import path

from . import views

app_name = "adjustments"
urlpatterns = [
    path("", views.change_request_list, name="list"),
    path("new/<id:project_pk>/", views.change_request_create, name="create"),
    path("<id:pk>/decide/", views.change_request_decide, name="decide"),
]
