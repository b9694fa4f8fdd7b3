"""Form widgets for pages drawn on every request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """Attributes in their order, as django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A select drawn in Python, as Django's templates draw it. Written by hand because those
    templates include one template per option, which costs a list's filters a third of the page."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            drawn = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                ((str(option["value"]), _attributes(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(
                format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, drawn) if group_name else drawn
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            SafeString("".join(groups)),
        )
