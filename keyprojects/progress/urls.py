from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("review/", views.review_queue, name="review_queue"),
    path("projects/<int:pk>/<int:year>-<int:month>/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
