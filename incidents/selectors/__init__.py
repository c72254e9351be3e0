"""Reads that are more than a one-line queryset, one module per area (the styleguide's selectors)."""
