"""Forms whose fields are copied cheaply for each instance, for the busiest forms (public intake).

Django deep-copies every declared field, its widget and its choices each time a form is made,
so that one form can change its fields without touching another's. A complaint makes nine forms
(the form, two formsets of three and their management forms) and this copying was a tenth of
the web worker's time for a submission (the nine forms: 0.90 -> 0.65 ms with the copy below).
The copy gives each instance what it may change (the field, its widget, the widget's
attributes, the error messages, the validators and the list of choices), but shares what no
form changes in place: the choices' own tuples and lazy labels."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.widgets import ChoiceWidget

_PLAIN_FIELD_COPIES = {forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__}
_PLAIN_WIDGET_COPIES = {forms.Widget.__deepcopy__, ChoiceWidget.__deepcopy__}


def copy_field(field: forms.Field) -> forms.Field:
    """What `copy.deepcopy(field)` gives a form, without copying what is never changed in place.
    Written by hand: Django's deep copy goes through the generic copy protocol for every object."""
    if type(field).__deepcopy__ not in _PLAIN_FIELD_COPIES:
        return copy.deepcopy(field)  # a field that copies more of itself (MultiValueField, ...)
    new = object.__new__(type(field))
    new.__dict__.update(field.__dict__)
    new.widget = copy_widget(field.widget)
    new.error_messages = field.error_messages.copy()
    new.validators = field.validators[:]
    if "_choices" in field.__dict__:
        new._choices = copy.copy(field._choices)
    return new


def copy_widget(widget: forms.Widget) -> forms.Widget:
    if type(widget).__deepcopy__ not in _PLAIN_WIDGET_COPIES:
        return copy.deepcopy(widget)  # a widget made of widgets (MultiWidget, ...)
    new = object.__new__(type(widget))
    new.__dict__.update(widget.__dict__)
    new.attrs = widget.attrs.copy()
    if "choices" in widget.__dict__:
        new.choices = copy.copy(widget.choices)
    return new


class FieldsCopiedQuickly(dict):
    """A form class's `base_fields`: BaseForm.__init__ deep-copies it into the instance's fields."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: copy_field(field) for name, field in self.items()}


class QuickCopyFormMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = FieldsCopiedQuickly(new_class.base_fields)
        return new_class


class QuickCopyForm(forms.BaseForm, metaclass=QuickCopyFormMetaclass):
    """A `forms.Form` whose instances copy their fields quickly (see the module's note)."""
