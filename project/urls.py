from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("incidents.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("incidents.api.urls")),
]
