from django.urls import path

from . import views

app_name = "sheets"
urlpatterns = [
    path("import/projects/", views.import_projects, name="import_projects"),
    path("import/projects/template.xlsx", views.import_template, name="import_template"),
    path("import/jobs/<id:pk>/", views.import_job, name="import_job"),
    path("import/rounds/<id:pk>/reports/", views.import_reports, name="import_reports"),
    path("export/projects.xlsx", views.export_projects, name="export_projects"),
    path("export/rounds/<id:pk>/dispatch-sheet.xlsx", views.dispatch_sheet, name="dispatch_sheet"),
]
