"""Choice labels for lists of many rows."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_labels: dict[models.Field, dict[Any, Any]] = {}


class ChoiceLabelsMixin:
    """`get_FOO_display()` from a map built once per field. Written by hand because Django rebuilds
    that map from the field's choices at every call, which weighs on a page of 100 rows."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        labels = _labels.get(field)
        if labels is None:
            labels = _labels[field] = {make_hashable(value): label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
