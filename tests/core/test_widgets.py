"""The select and the field groups drawn in Python read as Django's own."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.boundfield import BoundField

from ombudsman.core.widgets import QuickBoundField, QuickSelect

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


@pytest.mark.parametrize("value", [None, "", "2", "4", "unknown"])
def test_a_quick_select_draws_a_multiple_select_as_djangos(value):
    def drawn_multiple(widget: type[forms.SelectMultiple]) -> str:
        class Filter(forms.Form):
            platforms = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=widget)

        return "".join(str(Filter({"platforms": [value, "3"]} if value is not None else None)["platforms"]).split())

    class QuickSelectMultiple(QuickSelect):
        allow_multiple_selected = True

    quick = drawn_multiple(QuickSelectMultiple)
    assert quick == drawn_multiple(forms.SelectMultiple)
    if value is not None:
        assert 'value="3"selected' in quick


class Questions(forms.Form):
    required_css_class = "required"
    bound_field_class = BoundField  # drawn by Django's templates

    platform = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)
    account = forms.CharField(label="Which account?", help_text="As the <em>platform</em> shows it", max_length=5)
    reason = forms.CharField(label="Reason", required=False, label_suffix=" >")
    note = forms.CharField(widget=forms.Textarea(attrs={"id": "own-note"}))
    days = forms.MultipleChoiceField(choices=[("1", "Mon"), ("2", "Tue")], widget=forms.CheckboxSelectMultiple)


class QuickQuestions(Questions):
    bound_field_class = QuickBoundField


@pytest.mark.parametrize(
    "data",
    [None, {}, {"platform": "unknown", "account": "far too long", "reason": "<script>x</script>", "note": "n"}],
)
def test_a_field_group_drawn_in_python_reads_as_djangos(data):
    django_form, quick_form = Questions(data), QuickQuestions(data)
    for name in Questions.base_fields:
        quick = str(quick_form[name].as_field_group())
        assert "".join(quick.split()) == "".join(str(django_form[name].as_field_group()).split()), name
    account = str(quick_form["account"].as_field_group())
    assert 'class="required"' in account and "Which account?</label>" in account  # no suffix after "?"
    assert '<div class="helptext" id="id_account_helptext">As the <em>platform</em> shows it</div>' in account
    if data:
        assert 'class="errorlist"' in account and 'aria-invalid="true"' in account
        assert "&lt;script&gt;" in str(quick_form["reason"].as_field_group())


@pytest.mark.django_db
def test_the_work_queue_filters_are_drawn_as_djangos():
    from cases.forms import CaseQueueFilterForm
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Zeta <Networks>")
    chosen = OrganisationFactory(name="Alpha & Co")

    class DjangoDrawn(CaseQueueFilterForm):
        bound_field_class = BoundField

    for data in (
        None,
        {"state": "closed", "sort": "deadline", "per_page": "100", "organisation": str(chosen.pk)},
        {"state": "nonsense", "organisation": "999999"},
    ):
        quick, django_form = CaseQueueFilterForm(data), DjangoDrawn(data)
        for name in ("state", "organisation", "channel", "sort", "per_page"):
            assert "".join(str(quick[name].as_field_group()).split()) == "".join(
                str(django_form[name].as_field_group()).split()
            )
    drawn = str(CaseQueueFilterForm({"organisation": str(chosen.pk)})["organisation"])
    assert drawn.index("Alpha &amp; Co") < drawn.index("Zeta &lt;Networks&gt;")  # by name, escaped
    assert f'<option value="{chosen.pk}" selected>' in drawn


def test_every_form_of_the_project_draws_its_field_groups_in_python():
    class Plain(forms.Form):
        name = forms.CharField()

    assert type(Plain()["name"]) is QuickBoundField
    assert type(Questions()["account"]) is BoundField


class Answers(forms.Form):
    """Every widget the project's renderer draws in Python, in the states a form shows them."""

    required_css_class = "required"

    text = forms.CharField(label="Name", help_text="As <b>written</b>", widget=forms.TextInput(attrs={"class": "w"}))
    email = forms.EmailField(required=False)
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "readonly": True, "hidden": False}))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    agree = forms.BooleanField(label="I agree", required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    answer = forms.ChoiceField(
        label="Established?", choices=[("yes", "Yes"), ("no", 'No <i>"never"</i>')], widget=forms.RadioSelect
    )
    grouped = forms.ChoiceField(
        choices=[("Platforms", [("1", "Meta"), ("2", "Snap")]), ("3", "Other")],
        widget=forms.RadioSelect(attrs={"class": "inline"}),
        help_text="Pick one",
        required=False,
    )
    days = forms.MultipleChoiceField(
        label="", choices=[("1", "Mon"), ("2", "Tue")], widget=forms.CheckboxSelectMultiple, required=False
    )
    upload = forms.FileField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": '<script>"x"</script>',
            "email": "not an address",
            "number": "-3x",
            "secret": "s&cret",
            "hidden": "h<1>",
            "agree": "on",
            "note": "line one\n<b>two</b> & three",
            "answer": "no",
            "grouped": "1",
            "days": ["1", "2"],
        },
    ],
)
def test_the_widgets_drawn_in_python_are_djangos_to_the_character(data):
    from django.forms.renderers import DjangoTemplates

    from ombudsman.core.widgets import QuickFieldRenderer

    class DjangoDrawn(Answers):
        bound_field_class = BoundField
        default_renderer = DjangoTemplates

    class QuickDrawn(Answers):
        default_renderer = QuickFieldRenderer

    quick_form, django_form = QuickDrawn(data), DjangoDrawn(data)
    for name in Answers.base_fields:
        assert str(quick_form[name]) == str(django_form[name]), name
        quick_group, django_group = str(quick_form[name].as_field_group()), str(django_form[name].as_field_group())
        assert "".join(quick_group.split()) == "".join(django_group.split()), name
    if data:
        assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in str(quick_form["text"])
        assert "\n&lt;b&gt;two&lt;/b&gt; &amp; three</textarea>" in str(quick_form["note"])
        assert 'value="no" required id="id_answer_1" checked>' in str(quick_form["answer"])
        assert 'class="errorlist"' in str(quick_form["email"].as_field_group())
    assert '<legend class="required">Established?</legend>' in str(quick_form["answer"].as_field_group())
