from datetime import timedelta

from django.db import migrations, models

TOKEN_DAYS = 90


def expire_issued_tokens(apps, schema_editor):
    """Tokens issued before tokens expired end `TOKEN_DAYS` after they were issued."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + timedelta(days=TOKEN_DAYS))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_encrypted_phones"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(expire_issued_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
    ]
