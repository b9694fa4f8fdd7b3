"""The busiest forms copy their fields quickly: each instance still owns what it may change, and
the forms read and behave exactly as with Django's deep copy."""

from __future__ import annotations

import copy

import pytest
from django import forms

from cases.forms import ComplaintForm, IdentifierFormSet, MessageTimeFormSet
from ombudsman.core.forms import FieldsCopiedQuickly, QuickCopyForm, copy_field
from tests.cases.helpers import complaint_post
from tests.factories import ServiceFactory


def test_each_form_owns_its_fields_widgets_choices_and_messages():
    assert isinstance(ComplaintForm.base_fields, FieldsCopiedQuickly)
    first, second = ComplaintForm(), ComplaintForm()
    field = first.fields["filer_role"]
    field.label = "Changed"
    field.widget.attrs["class"] = "changed"
    field.choices = [("x", "X")]
    field.error_messages["required"] = "Changed"
    field.validators.append(lambda value: None)
    first.fields["website"].widget.attrs["tabindex"] = "5"

    for untouched in (second.fields, ComplaintForm.base_fields, ComplaintForm().fields):
        other = untouched["filer_role"]
        assert other.label != "Changed"
        assert "class" not in other.widget.attrs
        assert ("x", "X") not in list(other.choices)
        assert ("x", "X") not in list(other.widget.choices)
        assert other.error_messages["required"] != "Changed"
        assert other.validators == []
    assert ComplaintForm().fields["website"].widget.attrs["tabindex"] == "-1"


def test_a_field_made_of_fields_is_still_copied_deeply():
    class Appointment(QuickCopyForm):
        moment = forms.SplitDateTimeField()

    first, second = Appointment(), Appointment()
    first.fields["moment"].fields[0].widget.attrs["class"] = "changed"
    first.fields["moment"].widget.widgets[0].attrs["class"] = "changed"
    assert "class" not in second.fields["moment"].fields[0].widget.attrs
    assert "class" not in second.fields["moment"].widget.widgets[0].attrs


def test_a_quick_copy_holds_what_djangos_deep_copy_holds():
    for name, field in ComplaintForm.base_fields.items():
        quick, deep = copy_field(field), copy.deepcopy(field)
        assert type(quick) is type(deep), name
        assert quick.__dict__.keys() == deep.__dict__.keys(), name
        assert name == "service" or quick.widget.__dict__ == deep.widget.__dict__, name  # service: read when drawn
        assert quick.widget is not field.widget and quick.widget.attrs is not field.widget.attrs, name


@pytest.mark.django_db
@pytest.mark.parametrize("bound", [False, True])
def test_the_complaint_form_reads_as_with_djangos_deep_copy(bound):
    service = ServiceFactory(name="Instagram")
    # A bound form with errors too: an e-mail address that is not one, a missing last name.
    data = complaint_post(service, email="not an address", last_name="") if bound else None

    class DeepCopied(ComplaintForm):
        pass

    DeepCopied.base_fields = dict(ComplaintForm.base_fields)  # Django's own deep copy

    quick, deep = ComplaintForm(data), DeepCopied(data)
    assert str(quick) == str(deep)
    if bound:
        assert not quick.is_valid() and not deep.is_valid()
        assert quick.errors == deep.errors
        assert set(quick.errors) == {"email", "last_name"}


@pytest.mark.django_db
def test_a_complete_complaint_is_valid_through_quickly_copied_forms():
    data = complaint_post(ServiceFactory(name="Instagram"))
    form = ComplaintForm(data)
    identifiers = IdentifierFormSet(data, prefix="identifiers")
    messages = MessageTimeFormSet(data, prefix="messages")
    assert form.is_valid() and identifiers.is_valid() and messages.is_valid()
    assert identifiers.identifiers() == [("account_name", "@shadow_sender"), ("phone", "+32470998877")]
