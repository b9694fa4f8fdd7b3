"""Every letter of a case renders in every letter language, with its translated title."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from cases import services
from cases.models import CaseState
from ombudsman.deadlines.sweep import sweep_deadlines
from ombudsman.letters.kinds import get_kind
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.services import render_letter
from tests.factories import CaseFactory, ComplaintFactory, officer, reviewer

pytestmark = pytest.mark.django_db


def case_with_every_letter(language: str):
    """Rejected then closed, plus a second case that lapsed and a third that was withdrawn."""
    cases = [
        CaseFactory(complaint=ComplaintFactory(language=language), state=CaseState.CLOSED),
        CaseFactory(complaint=ComplaintFactory(language=language), state=CaseState.AWAITING_INFORMATION),
        CaseFactory(complaint=ComplaintFactory(language=language), state=CaseState.WITHDRAWN),
    ]
    sweep_deadlines(date(2099, 1, 1))
    return cases


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_every_case_letter_renders_in_every_language(language):
    cases = case_with_every_letter(language)
    kinds = set()
    for request in LetterRequest.objects.all():
        letter = render_letter(request.pk)
        with letter.pdf.open("rb") as handle:
            text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split())
        with translation.override(language):
            title = str(get_kind(letter.kind).title)
        assert title in text, (letter.kind, language)
        assert letter.reference in text
        kinds.add(letter.kind)
    assert kinds == {"acknowledgement", "information_request", "decision", "closure", "lapse", "withdrawal"}
    assert {c.reference for c in cases} == set(Letter.objects.values_list("reference", flat=True))


def test_reassignment_moves_the_object_permissions(client):
    case = CaseFactory(state=CaseState.IN_ASSESSMENT)
    first = case.assigned_to
    second = officer()
    services.reassign_case(case_id=case.pk, by=reviewer(), officer=second)
    client.force_login(first)
    assert client.get(f"/office/cases/{case.reference}/").status_code == 404
    assert not first.has_perm("cases.change_case", case)
    client.force_login(second)
    assert client.get(f"/office/cases/{case.reference}/").status_code == 200
    case.refresh_from_db()
    assert case.assigned_to == second
