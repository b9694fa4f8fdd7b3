"""Form widgets, field groups and the form renderer, drawn in Python for pages drawn on every request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext


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
        chosen = set(self.format_value(value))
        has_selected = False
        groups = []
        # The options and groups as Select.optgroups makes them: the first matching value is selected.
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                group_name, options = option_value, option_label
            else:
                group_name, options = None, [(option_value, option_label)]
            drawn = []
            for value_of_option, label in options:
                value_text = "" if value_of_option is None else str(value_of_option)
                selected = (not has_selected or self.allow_multiple_selected) and value_text in chosen
                has_selected |= selected
                drawn.append(
                    f'\n  <option value="{escape(value_text)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(label)}</option>"
                )
            joined = "".join(drawn)
            if group_name:
                joined = f'\n  <optgroup label="{escape(group_name)}">{joined}\n  </optgroup>'
            groups.append(joined)
        widget_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}\n</select>', name, _attributes(widget_attrs), SafeString("".join(groups))
        )


class QuickBoundField(BoundField):
    """A form field whose group (label, help, errors, widget) is drawn in Python, as
    django/forms/field.html draws it; every form of the project uses it (QuickFieldRenderer).
    Written by hand for the same reason as QuickSelect: the field's, the label's and the errors'
    templates cost a form more than its widgets do."""

    def as_field_group(self) -> SafeString:
        if self.use_fieldset:
            return self._fieldset_html()
        parts = [self._label_html()] if self.label else []
        if self.help_text:
            parts.append(
                format_html('<div class="helptext" id="{}_helptext">{}</div>', self.auto_id, SafeString(self.help_text))
                if self.auto_id
                else format_html('<div class="helptext">{}</div>', SafeString(self.help_text))
            )
        if self.errors:
            parts.append(str(self.errors))
        parts.append(str(self))
        return SafeString("\n".join(parts))

    def _fieldset_html(self) -> SafeString:
        # The fieldset branch of django/forms/field.html (radio buttons, checkboxes), legend first.
        described_by = self.aria_describedby
        opening = format_html('<fieldset aria-describedby="{}">', described_by) if described_by else "<fieldset>"
        legend = self._label_html(tag="legend") if self.label else ""
        help_text = ""
        if self.help_text:
            help_text = (
                format_html('<div class="helptext" id="{}_helptext">{}</div>', self.auto_id, SafeString(self.help_text))
                if self.auto_id
                else format_html('<div class="helptext">{}</div>', SafeString(self.help_text))
            )
        errors = str(self.errors) if self.errors else ""
        return SafeString(f"{opening}\n  {legend}\n\n{help_text}\n{errors}\n{self}</fieldset>")

    def _label_html(self, tag: str = "label") -> SafeString:
        # BoundField.label_tag (or legend_tag) without a template (no custom contents or attributes).
        contents = self.label
        suffix = self.field.label_suffix if self.field.label_suffix is not None else self.form.label_suffix
        if suffix and contents and contents[-1] not in gettext(":?.!"):
            contents = format_html("{}{}", contents, suffix)
        id_ = self.field.widget.attrs.get("id") or self.auto_id
        if not id_:
            return format_html("{}", contents)
        attrs: dict[str, Any] = {}
        id_for_label = self.field.widget.id_for_label(id_)
        if id_for_label:
            attrs["for"] = id_for_label
        if self.field.required and hasattr(self.form, "required_css_class"):
            attrs["class"] = self.form.required_css_class
        return format_html("<{}{}>{}</{}>", tag, _attributes(attrs), contents, tag)


def _input_html(widget: dict[str, Any]) -> str:
    # django/forms/widgets/input.html
    value = widget["value"]
    shown = "" if value is None else format_html(' value="{}"', str(value))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, _attributes(widget["attrs"])
    )


def _textarea_html(widget: dict[str, Any]) -> str:
    # django/forms/widgets/textarea.html
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return format_html('<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attributes(widget["attrs"]), value)


def _multiple_input_html(widget: dict[str, Any]) -> str:
    # django/forms/widgets/multiple_input.html with input_option.html for each radio button or box.
    id_ = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    parts = [
        format_html(
            "<div{}{}>", format_html(' id="{}"', id_) if id_ else "", format_html(' class="{}"', css) if css else ""
        )
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(format_html("\n  <div><label>{}</label>", group))
        for option in options:
            drawn = _input_html(option)
            if option["wrap_label"]:
                for_ = format_html(' for="{}"', option["attrs"]["id"]) if option["attrs"].get("id") else ""
                drawn = format_html("<label{}>{}\n {}</label>", for_, SafeString(drawn), option["label"])
            parts.append(f"<div>\n    {drawn}\n\n</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


# Django's widget templates drawn in Python by the project's renderer, as they are in Django 5.2.
_WIDGETS_IN_PYTHON = {
    **{
        f"django/forms/widgets/{name}.html": _input_html
        for name in (
            "input",
            "text",
            "email",
            "number",
            "password",
            "hidden",
            "url",
            "date",
            "datetime",
            "time",
            "checkbox",
            "search",
            "tel",
            "color",
            "file",
        )
    },
    "django/forms/widgets/textarea.html": _textarea_html,
    "django/forms/widgets/radio.html": _multiple_input_html,
    "django/forms/widgets/checkbox_select.html": _multiple_input_html,
}


class QuickFieldRenderer(DjangoTemplates):
    """The project's form renderer: Django's templates, with every field group and the common
    widgets (inputs, text areas, radio buttons, check boxes) drawn in Python. Written by hand
    because each widget's templates cost a form with twenty fields some ten milliseconds."""

    bound_field_class = QuickBoundField

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        draw = _WIDGETS_IN_PYTHON.get(template_name)
        if draw is not None and "widget" in context:
            return draw(context["widget"])
        return super().render(template_name, context, request)
