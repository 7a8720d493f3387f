from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keyprojects.accounts"
    label = "accounts"
    verbose_name = _("账户与机构")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from keyprojects.core.todo import TodoSection, register_todo_section

        from .checks import no_superuser_in_production
        from .middleware import at_sign_in
        from .views import todo_context

        checks.register(no_superuser_in_production, checks.Tags.database)
        user_logged_in.connect(at_sign_in, dispatch_uid="accounts.at_sign_in")
        register_todo_section(TodoSection("accounts", "accounts/todo.html", todo_context, order=5))
