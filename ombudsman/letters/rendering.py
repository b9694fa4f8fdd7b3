"""HTML to PDF/A with WeasyPrint."""

from __future__ import annotations

from django.conf import settings
from weasyprint import HTML

# PDF/A-3b: archival PDF that can also carry attachments (dossiers later).
PDF_VARIANT = "pdf/a-3b"


def html_to_pdf(html: str) -> bytes:
    """Render a letter's HTML; fails loudly if the renderer cannot work."""
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT)
    if not pdf or not pdf.startswith(b"%PDF-"):
        raise RuntimeError("WeasyPrint produced no PDF")
    return pdf
