from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("incidents.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("incidents.api.urls")),
]

# A server error under /api/ answers in the API's error format; the pages keep Django's.
handler500 = "incidents.api.errors.server_error"
# A body over the upload limit is told as such (413), in the layout or the API's format.
handler400 = "incidents.views.errors.bad_request"
