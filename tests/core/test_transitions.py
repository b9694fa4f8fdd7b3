"""A case, an order or a sanction procedure read before another change of its state cannot
overwrite that change."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition

from cases.models import Case
from enforcement.models import SanctionProcedure
from platforms.models import DisclosureOrder
from tests.factories import CaseFactory, make_order, make_procedure

pytestmark = pytest.mark.django_db


def test_a_stale_case_cannot_overwrite_a_newer_state():
    case = CaseFactory()
    stale = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=case.pk).update(state="withdrawn")
    stale.description = "changed on a stale copy"
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Case.objects.get(pk=case.pk).state == "withdrawn"
    assert Case.objects.get(pk=case.pk).description != "changed on a stale copy"


@pytest.mark.parametrize(
    ("model", "make", "other_state"),
    [(DisclosureOrder, lambda: make_order("issued")[0], "overdue"), (SanctionProcedure, make_procedure, "closed")],
)
def test_a_stale_order_or_procedure_cannot_overwrite_a_newer_state(model, make, other_state):
    row = make()
    stale = model.objects.get(pk=row.pk)
    model.objects.filter(pk=row.pk).update(state=other_state)
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert model.objects.get(pk=row.pk).state == other_state
    assert [field.name for field in stale.state_fields] == ["state"]
