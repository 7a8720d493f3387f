from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keyprojects.accounts"
    label = "accounts"
    verbose_name = _("账户与机构")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks
        from django.db.models.signals import post_save, pre_save

        from keyprojects.core.todo import TodoSection, register_todo_section

        from .checks import no_superuser_in_production
        from .middleware import at_sign_in
        from .models import User
        from .tokens import user_post_save, user_pre_save
        from .views import todo_context

        checks.register(no_superuser_in_production, checks.Tags.database)
        user_logged_in.connect(at_sign_in, dispatch_uid="accounts.at_sign_in")
        pre_save.connect(user_pre_save, sender=User, dispatch_uid="accounts.tokens.pre_save")
        post_save.connect(user_post_save, sender=User, dispatch_uid="accounts.tokens.post_save")
        register_todo_section(TodoSection("accounts", "accounts/todo.html", todo_context, order=5))
