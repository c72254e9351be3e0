"""The API's documentation page: Swagger UI on the schema, served from the site's own static files
(drf-spectacular-sidecar), so it loads nothing from a CDN and works on a closed network."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as PageRefused
from django.http.response import HttpResponseBase
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated, PermissionDenied


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI whose start-up script is a file of its own (``?script``) rather than inline, as
    our Content-Security-Policy allows scripts from the site only. Who may read the schema may
    read this: a signed-in browser session or a token, with a role."""

    url_name = "api_schema"
    template_name = "incidents/api/docs.html"

    # DRF's stubs say a Response; APIView.finalize_response takes any HttpResponse, as a redirect is.
    def handle_exception(self, exc: Exception) -> HttpResponseBase:  # type: ignore[override]
        # A page a person opens, unlike the calls it documents: refused as the pages refuse, to
        # the login page without credentials, and to the product's 403 page without a role.
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        if isinstance(exc, PermissionDenied):
            raise PageRefused(str(exc.detail)) from exc
        return super().handle_exception(exc)
