from django.urls import path

from . import views

app_name = "factors"
urlpatterns = [
    path("", views.command_post, name="command_post"),
    path("pools/new/", views.pool_set, name="pool_set"),
    path("pools/<id:pk>/", views.pool_detail, name="pool"),
    path("pools/<id:pk>/allocate/", views.allocate, name="allocate"),
    path("allocations/<id:pk>/release/", views.release, name="release"),
    path("projects/<id:project_pk>/demands/new/", views.demand_create, name="demand_create"),
    path("demands/<id:pk>/withdraw/", views.demand_withdraw, name="demand_withdraw"),
]
