"""The account administration speaks Chinese throughout: every page the system administrator opens in
/admin/ under zh-hans shows no English word of Django's admin (nor "Choose all", "Can add …")."""

import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse

from keyprojects.accounts.models import ApiToken, User

# Django writes its icons' alt text ("Search", "True", "False") in English into its templates, out of
# reach of any catalogue; they are not read here, nor the masked password hash (<bdi>: algorithm and salt).
READ_ATTRIBUTES = ("title", "placeholder", "aria-label")
UNREAD = ("script", "style", "template", "bdi")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’']{2,}")


class VisibleText(HTMLParser):
    """The words a reader meets: text outside scripts and styles, titles, placeholders, labels, buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in UNREAD:
            self.hidden += 1
        self.parts += [values[name] or "" for name in READ_ATTRIBUTES if name in values]
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in UNREAD:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def admin_pages(user: User) -> list[str]:
    """The index, and for each registered model the list, add, change, history and delete pages, and a
    user's password page."""
    pages = [reverse("admin:index"), reverse("admin:auth_user_password_change", args=[user.pk])]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        record = model._default_manager.first()
        if record is not None:
            pages += [reverse(f"{name}_{view}", args=[record.pk]) for view in ("change", "history", "delete")]
    return pages


@pytest.mark.parametrize("who", ["admin", "secadmin"])
def test_every_admin_page_speaks_chinese(client, city, secadmin, who):
    ApiToken.issue(user=city.county, name="调度脚本")
    AccessAttempt.objects.create(
        username="guanxian", ip_address="10.0.0.1", user_agent="x", failures_since_start=5
    )
    client.force_login(city.admin if who == "admin" else secadmin)
    data = [
        *User.objects.values_list("username", flat=True),
        *ApiToken.objects.values_list("prefix", flat=True),
    ]
    data_words = set(LATIN_WORD.findall(" ".join(data)))
    data_words |= {"LDAP"}  # named in Django's Chinese help text of the password switch
    english: dict[str, set[str]] = {}
    opened = 0
    for page in admin_pages(city.county):
        response = client.get(page, headers={"accept-language": "zh-hans"}, follow=True)
        if response.status_code == 403:  # models of other packages the system administrator does not manage
            continue
        assert response.status_code == 200, page
        opened += 1
        parser = VisibleText()
        parser.feed(response.content.decode())
        words = set(LATIN_WORD.findall(" ".join(parser.parts))) - data_words
        if words:
            english[page] = words
    assert opened >= (20 if who == "admin" else 7)
    assert english == {}
