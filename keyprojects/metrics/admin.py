from django.contrib import admin

from .models import MetricsSettings

admin.site.register(MetricsSettings)
