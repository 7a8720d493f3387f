from django.urls import path

from . import dictionary_views, views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<id:pk>/", views.project_detail, name="detail"),
    path("<id:pk>/edit/", views.project_edit, name="edit"),
    path("<id:pk>/transition/", views.project_transition, name="transition"),
    path("dictionary/", dictionary_views.dictionary_page, name="dictionary"),
    path("dictionary/<id:pk>/", dictionary_views.dictionary_entry_edit, name="dictionary_edit"),
    path("dictionary/<id:pk>/move/", dictionary_views.dictionary_entry_move, name="dictionary_move"),
    path("dictionary/<id:pk>/delete/", dictionary_views.dictionary_entry_delete, name="dictionary_delete"),
]
