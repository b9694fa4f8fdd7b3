"""State diagrams generated from the django-fsm-2 transitions themselves."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils import translation
from django_fsm import FSMFieldMixin

DOCUMENT = """# {title}

Generated from the code by `python manage.py state_diagram {model} --output {output}`;
a test fails when it no longer matches the state machine.

```mermaid
{diagram}```
"""


def mermaid_state_diagram(model: type[models.Model], field_name: str = "state") -> str:
    """A Mermaid diagram of every transition of `model.field_name`, in a stable order.

    Written by hand because django-fsm-2's graph command needs Graphviz and its output
    order changes between runs, so a committed diagram could not be checked for staleness."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, FSMFieldMixin)
    edges: set[tuple[str, str, str]] = set()
    for transition in field.get_all_transitions(model):
        targets = getattr(transition.target, "allowed_states", None) or [transition.target]
        for target in targets:
            # Transitions that keep the state (target None) are drawn as loops.
            edges.add(
                (str(transition.source), str(target if target is not None else transition.source), transition.name)
            )
    lines = ["stateDiagram-v2", f"    [*] --> {field.default}"]
    for state, label in field.choices:
        lines.append(f"    {state} : {label}")
    for source, target, name in sorted(edges):
        lines.append(f"    {source} --> {target} : {name}")
    return "\n".join(lines) + "\n"


def state_diagram_document(model_label: str, output: str) -> str:
    """The Markdown page of the diagram of `model_label` (e.g. "cases.Case"), in English."""
    model = apps.get_model(model_label)
    with translation.override("en"):
        return DOCUMENT.format(
            title=f"States of {model._meta.verbose_name}",
            model=model_label,
            output=output,
            diagram=mermaid_state_diagram(model),
        )
