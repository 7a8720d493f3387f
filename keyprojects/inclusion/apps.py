from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InclusionConfig(AppConfig):
    name = "keyprojects.inclusion"
    label = "inclusion"
    verbose_name = _("入库纳统")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from keyprojects.projects.events import register_event_field

        from .models import StatisticsInclusion
        from .selectors import STATISTICS_FIELD
        from .services import inclusion_history_text
        from .signals import inclusion_saved
        from .views import register_inclusion_ui

        register_inclusion_ui()
        register_event_field(STATISTICS_FIELD, _("入库纳统"), inclusion_history_text)
        post_save.connect(
            inclusion_saved, sender=StatisticsInclusion, dispatch_uid="inclusion.publish_changed"
        )
