"""The letters' stylesheet is parsed once per process, and letters look as they did with it inline."""

from __future__ import annotations

import io
import threading

import pytest
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from cases.letters import ACKNOWLEDGEMENT
from cases.models import Case
from ombudsman.letters import rendering
from ombudsman.letters.services import compose_letter
from platforms.models import Organisation, Service


def sample_case(language: str) -> Case:
    organisation = Organisation(name="Meta Platforms Ireland Ltd.", kind="platform", contact_point_email="x@y.z")
    return Case(
        pk=123,
        reference="OMB-2026-000123",
        language=language,
        complainant_first_name="Emma",
        complainant_last_name="Claes",
        street="Wetstraat 16",
        postal_code="1000",
        city="Brussel",
        service=Service(name="Instagram", organisation=organisation),
        submitted_at=timezone.now(),
    )


def layout(document) -> list[tuple]:
    """Every box of every page: its kind, position, size and text, rounded to a hundredth of a point."""
    boxes = []

    def walk(box) -> None:
        boxes.append(
            (
                type(box).__name__,
                round(box.position_x, 2),
                round(box.position_y, 2),
                round(box.width or 0, 2),
                round(box.height or 0, 2),
                getattr(box, "text", None),
                tuple(box.style["font_family"]),
                box.style["font_size"],
            )
        )
        for child in box.all_children():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return boxes


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_letter_is_laid_out_as_with_its_stylesheet_inline(language):
    _letter, html = compose_letter(ACKNOWLEDGEMENT, sample_case(language), language=language)
    inline = html.replace("<style>", "<style>" + rendering.LETTER_STYLESHEET.read_text(), 1)
    fonts, stylesheets = rendering._fonts_and_stylesheets()

    before = HTML(string=inline).render()
    after = HTML(string=html).render(stylesheets=stylesheets, font_config=fonts)

    assert len(after.pages) == len(before.pages)
    assert layout(after) == layout(before)
    texts = [box[5] for box in layout(after) if box[5]]
    assert any("OMB-2026-000123" in text for text in texts)
    assert {box[6] for box in layout(after) if box[5]} == {("DejaVu Sans", "sans-serif")}


def test_the_stylesheet_and_fonts_are_prepared_once_per_thread():
    first = rendering._fonts_and_stylesheets()
    again = rendering._fonts_and_stylesheets()
    assert again[0] is first[0]
    assert again[1][0] is first[1][0]
    other = []
    thread = threading.Thread(target=lambda: other.append(rendering._fonts_and_stylesheets()))
    thread.start()
    thread.join()
    assert other[0][0] is not first[0]


def test_two_letters_in_a_row_each_carry_their_own_footer():
    """Reusing the parsed stylesheet leaks nothing from one letter into the next."""
    for reference in ("OMB-2026-000001", "OMB-2026-000002"):
        case = sample_case("en")
        case.reference = reference
        _letter, html = compose_letter(ACKNOWLEDGEMENT, case, language="en")
        reader = PdfReader(io.BytesIO(rendering.html_to_pdf(html)))
        pages = len(reader.pages)
        last_page = reader.pages[-1].extract_text()
        assert reference in last_page
        assert f"Page {pages} of {pages}" in last_page
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_a_starting_worker_process_prepares_the_renderer_and_sets_the_loaded_program_aside_from_the_collector():
    import gc

    from celery.signals import worker_process_init

    import ombudsman.letters.tasks  # noqa: F401 (a worker imports its tasks before it starts)

    threshold = gc.get_threshold()
    gc.set_threshold(700, *threshold[1:])  # Python's default, as a new process has it
    try:
        # What a letters worker process receives when it starts (no database is touched here).
        worker_process_init.send(sender=None)
        fonts, stylesheets = rendering._fonts_and_stylesheets()
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == rendering.WORKER_GC_THRESHOLD
        # Prepared before the first letter: the first letter reuses them.
        assert rendering._fonts_and_stylesheets() == (fonts, stylesheets)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
