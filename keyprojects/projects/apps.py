from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "keyprojects.projects"
    label = "projects"
    verbose_name = _("项目库")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from keyprojects.accounts.models import Organization, Region
        from keyprojects.core.maintained import register_maintained

        from . import search, tallies, vocabulary
        from .models import Project
        from .signals import project_saved

        post_save.connect(search.project_saved, sender=Project, dispatch_uid="projects.search_saved")
        post_save.connect(
            search.organization_saved, sender=Organization, dispatch_uid="projects.search_owner"
        )
        post_save.connect(project_saved, sender=Project, dispatch_uid="projects.publish_changed")
        post_save.connect(tallies.project_written, sender=Project, dispatch_uid="projects.tally_saved")
        post_delete.connect(tallies.project_written, sender=Project, dispatch_uid="projects.tally_deleted")
        post_save.connect(vocabulary.city_saved, sender=Region, dispatch_uid="projects.city_dictionary")
        register_maintained("project_tallies", tallies.rebuild)
        register_maintained("project_search", search.rebuild)
