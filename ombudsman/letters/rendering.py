"""HTML to PDF/A with WeasyPrint.

The letters' stylesheet (templates/letters/letter.css) and WeasyPrint's font configuration are
prepared once per process rather than for every letter: building the font configuration alone
costs about a third of a bare render. Each thread keeps its own, as WeasyPrint's objects are not
made to be shared between threads. `prepare_worker` runs when a letters worker process starts."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

# PDF/A-3b: archival PDF that can also carry attachments (dossiers later).
PDF_VARIANT = "pdf/a-3b"
LETTER_STYLESHEET = Path(settings.BASE_DIR) / "templates" / "letters" / "letter.css"

_prepared = threading.local()

# Allocations between two young-generation collections in a letters worker (Python's default: 700).
WORKER_GC_THRESHOLD = 10_000


def _fonts_and_stylesheets() -> tuple[FontConfiguration, list[CSS]]:
    if not hasattr(_prepared, "fonts"):
        fonts = FontConfiguration()
        _prepared.stylesheets = [CSS(filename=str(LETTER_STYLESHEET), font_config=fonts)]
        _prepared.fonts = fonts
    return _prepared.fonts, _prepared.stylesheets


def prepare_worker() -> None:
    """Get a letters worker process ready before its first letter: the stylesheet and fonts
    prepared, then everything loaded so far (Django, the templates, WeasyPrint) set aside from
    the garbage collector, which also runs less often. A letter allocates hundreds of thousands
    of objects that live as long as its layout: each full collection would otherwise walk the
    whole loaded program again, and the default threshold collects every 700 allocations."""
    _fonts_and_stylesheets()
    gc.collect()
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def html_to_pdf(html: str) -> bytes:
    """Render a letter's HTML with the letters' stylesheet; fails loudly if the renderer cannot work."""
    fonts, stylesheets = _fonts_and_stylesheets()
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant=PDF_VARIANT, stylesheets=stylesheets, font_config=fonts
    )
    if not pdf or not pdf.startswith(b"%PDF-"):
        raise RuntimeError("WeasyPrint produced no PDF")
    return pdf
