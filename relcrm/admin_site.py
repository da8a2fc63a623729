"""The admin site, whose apps' admin modules are imported when the admin is first used.

Django's own admin app imports every `admin.py` at start-up; through django-import-export
that brings in tablib and openpyxl, a good part of the start-up of every management command
and worker. Here they are imported when the admin's URLs are built or its checks run.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig
from django.core.checks import CheckMessage
from django.urls import URLPattern, URLResolver


class AdminSite(admin.AdminSite):
    def get_urls(self) -> list[URLResolver | URLPattern]:
        admin.autodiscover()
        return super().get_urls()

    def check(self, app_configs: Sequence[AppConfig] | None) -> list[CheckMessage]:
        admin.autodiscover()
        return super().check(app_configs)


class AdminConfig(SimpleAdminConfig):
    """django.contrib.admin without the autodiscovery at start-up."""

    default_site = "relcrm.admin_site.AdminSite"
