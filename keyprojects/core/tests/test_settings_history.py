"""Every settings change is kept (who, when, the old and new value of each changed field) and each
settings page shows its history, in the reader's language."""

from decimal import Decimal

import pytest

from keyprojects.alerts.services import warning_rules_update
from keyprojects.core.models import SettingsEvent
from keyprojects.inclusion.services import inclusion_settings_update
from keyprojects.metrics.services import metrics_settings_update
from keyprojects.schedule.models import NodeTemplate
from keyprojects.schedule.services import node_template_update, node_templates_seed, schedule_settings_update


def history(client, url, language="zh-hans"):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="settings-history"') :]


@pytest.mark.django_db
def test_each_settings_page_shows_who_changed_which_value(client, city):
    admin = city.city_admin
    warning_rules_update(user=admin, data={"start_red_months": 4}, version=1)
    metrics_settings_update(user=admin, data={"time_basis": "day"}, version=1)
    inclusion_settings_update(user=admin, threshold=Decimal("800"), version=1)
    schedule_settings_update(user=admin, version=1, due_soon_workdays=7)
    template = node_templates_seed(city=city.liaocheng)[0]
    node_template_update(
        user=admin, template_id=template.pk, version=template.version, data={"name": "新模板名"}
    )

    stored = SettingsEvent.objects.get(record="alerts.warningrules")
    assert (stored.field, stored.old, stored.new, stored.actor) == (
        "start_red_months",
        {"t": "int", "v": 3},
        {"t": "int", "v": 4},
        admin,
    )
    client.force_login(admin)
    rules = history(client, "/alerts/rules/")
    assert "未按期开工转红灯（月）" in rules and '3</span> → <span class="kp-new">4' in rules
    assert admin.display_name in rules
    english = history(client, "/alerts/rules/", "en")
    assert "Change history" in english and "Not started: red after (months)" in english
    rates = history(client, "/metrics/settings/")
    assert "序时进度口径" in rates and '按月</span> → <span class="kp-new">按天' in rates
    assert "Pro-rata schedule basis" in history(client, "/metrics/settings/", "en")
    threshold = history(client, "/statistics/settings/")
    assert '500.00</span> → <span class="kp-new">800.00' in threshold
    plans = history(client, "/schedule/templates/")
    assert "临期提醒（工作日）" in plans and '5</span> → <span class="kp-new">7' in plans
    edited = history(client, f"/schedule/templates/{template.pk}/")
    assert f'{template.name}</span> → <span class="kp-new">新模板名' in edited
    assert NodeTemplate.objects.get(pk=template.pk).name == "新模板名"


@pytest.mark.django_db
def test_a_save_that_changes_nothing_records_nothing(city):
    schedule_settings_update(user=city.city_admin, version=1, due_soon_workdays=5)
    warning_rules_update(user=city.city_admin, data={"start_red_months": 3}, version=1)
    assert not SettingsEvent.objects.exists()
