from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import BootstrapForm


class ImportForm(BootstrapForm):
    wide_fields = frozenset({"file"})

    file = forms.FileField(
        label=_("项目清单文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    dry_run = forms.BooleanField(
        label=_("仅校验，不写入"),
        required=False,
        help_text=_("先看校验报告；无误后再正式导入"),
    )
