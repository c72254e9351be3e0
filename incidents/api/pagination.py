from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.pagination import PageNumberPagination

PAGE_SIZE: int = settings.REST_FRAMEWORK["PAGE_SIZE"]
MAX_PAGE_SIZE = 200


class Pages(PageNumberPagination):
    """?page=N, 50 a page (at most 200 with ?page_size=). The view has checked both already
    (inputs.Paging), so a page size out of bounds is refused there, not quietly changed here."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {"page": {"minimum": 1}, "page_size": {"minimum": 1, "maximum": MAX_PAGE_SIZE}}
        for parameter in parameters:
            parameter["schema"] |= bounds.get(parameter["name"], {})
        return parameters
