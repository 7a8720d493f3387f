"""The city key added to notifications: the rows already there take their recipient's city."""

import pytest

from keyprojects.accounts.tests.historical import OldWorld


@pytest.mark.django_db(transaction=True)
def test_existing_notifications_take_their_recipients_city(migrator):
    old = migrator.apply_initial_migration([("notifications", "0001_initial")])
    world = OldWorld(old.apps)
    province = world.create("accounts.Region", code="370000", name="山东省", kind="province")
    office = world.create(
        "accounts.Organization",
        name="冠县发展和改革局",
        kind="county_office",
        region=world.county("371525", "冠县"),
    )
    province_office = world.create(
        "accounts.Organization",
        name="山东省发展和改革委员会",
        kind="province_office",
        region=province,
        city_id=None,
    )
    User = old.apps.get_model("accounts", "User")
    county = User.objects.create(username="guanxian", role="county_officer", organization=office)
    officer = User.objects.create(username="province", role="province_officer", organization=province_office)
    Notification = old.apps.get_model("notifications", "Notification")
    for user in (county, officer):
        Notification.objects.create(recipient=user, kind="report_due", title="月报提醒")

    new = migrator.apply_tested_migration([("notifications", "0002_tenancy_kinds_channels")])
    rows = new.apps.get_model("notifications", "Notification").objects.order_by("recipient__username")
    assert [(n.recipient.username, n.city_id) for n in rows] == [
        ("guanxian", world.city.pk),
        ("province", None),
    ]
