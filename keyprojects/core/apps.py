from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "keyprojects.core"
    label = "core"
    verbose_name = _("公共")

    def ready(self) -> None:
        from django.urls import register_converter

        from .converters import IdConverter
        from .navigation import NavItem, register_nav_item

        # `<id:pk>` in every app's urls.py: a row id, at most 64 bits.
        register_converter(IdConverter, "id")
        register_nav_item(NavItem("todo", _("我的待办"), "todo", order=0))
