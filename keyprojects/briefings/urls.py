from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_page, name="briefing"),
    path("briefing.docx", views.briefing_file, {"kind": "docx"}, name="docx"),
    path("briefing.pdf", views.briefing_file, {"kind": "pdf"}, name="pdf"),
]
