from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = {"project.import": _("从Excel导入项目清单")}


class SheetsConfig(AppConfig):
    name = "keyprojects.sheets"
    label = "sheets"
    verbose_name = _("Excel导入导出")

    def ready(self) -> None:
        from keyprojects.accounts import access
        from keyprojects.accounts.models import Role
        from keyprojects.core.record_links import register_record_link
        from keyprojects.projects.list_actions import ListAction, register_list_action

        from . import permissions, views

        access.declare_actions(ACTIONS)
        access.grant(Role.CITY_ADMIN, may=["project.import"])
        access.grant(Role.COUNTY_OFFICER, may=["project.import"])
        register_record_link("progress.round", views.dispatch_sheet_link)
        register_record_link("progress.round", views.report_import_link)
        register_list_action(
            ListAction("export", _("导出Excel"), "sheets:export_projects", order=10, keeps_filters=True)
        )
        register_list_action(
            ListAction(
                "import", _("导入"), "sheets:import_projects", order=20, visible=permissions.can_import
            )
        )
