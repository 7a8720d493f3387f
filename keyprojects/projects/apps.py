from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "keyprojects.projects"
    label = "projects"
    verbose_name = _("项目库")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from .models import Project
        from .signals import project_saved

        post_save.connect(project_saved, sender=Project, dispatch_uid="projects.publish_changed")
