"""How forms and their widgets are drawn: Django's own widget templates, in Jinja2.

An incident page draws some fifty widgets; in Django's template language each costs about a
millisecond, nearly half the page. Django ships the same widget templates for Jinja2, which
draws them in a fraction of that time. Templates only the template language has (the admin's
widgets) are still drawn by it.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import BaseRenderer, Jinja2, TemplatesSetting
from django.template import TemplateDoesNotExist


class WidgetRenderer(BaseRenderer):
    def __init__(self) -> None:
        self._jinja2 = Jinja2()
        self._templates = TemplatesSetting()

    def get_template(self, template_name: str) -> Any:
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self._templates.get_template(template_name)
