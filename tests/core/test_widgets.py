"""The select drawn in Python reads as Django's own."""

from __future__ import annotations

import pytest
from django import forms

from ombudsman.core.widgets import QuickSelect

CHOICES = [
    ("", "All"),
    ("Meta", [("1", "Instagram"), ("2", 'Messenger "& co" <b>')]),
    ("Snap", [("3", "Snapchat")]),
    ("4", "Other"),
]


def drawn(widget: type[forms.Select], value: str | None) -> str:
    class Filter(forms.Form):
        platform = forms.ChoiceField(choices=CHOICES, required=False, widget=widget(attrs={"class": "wide"}))

    return "".join(str(Filter({"platform": value} if value is not None else None)["platform"]).split())


@pytest.mark.parametrize("value", [None, "", "2", "4", "unknown"])
def test_a_quick_select_is_drawn_as_djangos_select(value):
    quick = drawn(QuickSelect, value)
    assert quick == drawn(forms.Select, value)
    assert "&lt;b&gt;" in quick and "<b>" not in quick  # labels are escaped
    if value == "2":
        assert 'value="2"selected' in quick
