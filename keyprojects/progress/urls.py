from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<id:pk>/", views.round_detail, name="round"),
    path("rounds/<id:pk>/urge/", views.round_urge, name="round_urge"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/accept/", views.review_batch, name="review_batch"),
    path("projects/<id:pk>/<int:year>-<int:month>/", views.report_create, name="report_create"),
    path("projects/<id:pk>/<int:year>-<int:month>/photos/", views.draft_photo_upload, name="draft_photos"),
    path("draft-photos/<id:pk>/", views.draft_photo, name="draft_photo"),
    path("draft-photos/<id:pk>/delete/", views.draft_photo_delete, name="draft_photo_delete"),
    path("reports/<id:pk>/", views.report_detail, name="report"),
    path("reports/<id:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<id:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<id:pk>/review/", views.report_review, name="report_review"),
    path("photos/<id:pk>/", views.photo, name="photo"),
]
