from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = {"opendata.publish": _("发布开放数据（OC4IDS）")}


class OpendataConfig(AppConfig):
    """Open data: the city office publishes the projects it marks public as an OC4IDS project package."""

    name = "keyprojects.opendata"
    label = "opendata"
    verbose_name = _("开放数据")

    def ready(self) -> None:
        from keyprojects.accounts import access
        from keyprojects.accounts.models import Role
        from keyprojects.core.navigation import NavItem, register_nav_item

        access.declare_actions(ACTIONS)
        access.grant(Role.CITY_ADMIN, may=["opendata.publish"])
        register_nav_item(
            NavItem(
                "opendata",
                _("开放数据"),
                "opendata:index",
                order=95,
                visible=lambda user: user.is_authenticated and access.may(user, "opendata.publish"),
            )
        )
