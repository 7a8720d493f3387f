"""A person's own password change: Django's form (the current password, the new one twice, checked
against `AUTH_PASSWORD_VALIDATORS`) in the platform's styling."""

from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm

from keyprojects.core.forms import BootstrapForm


class PasswordChangeForm(BootstrapForm, DjangoPasswordChangeForm):
    wide_fields = frozenset({"old_password", "new_password1", "new_password2"})
