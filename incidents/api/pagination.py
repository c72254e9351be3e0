from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=N, 50 a page (at most 200 with ?page_size=)."""

    page_size_query_param = "page_size"
    max_page_size = 200
