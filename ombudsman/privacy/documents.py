"""The export of a data-subject access request as files: JSON, and a PDF of the same report."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

from ombudsman.letters.rendering import html_to_pdf


def export_json(report: dict[str, Any]) -> bytes:
    return json.dumps(report, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_pdf(report: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string("privacy/subject_access_print.html", {"report": report}))


def export_filename(report: dict[str, Any], output: str) -> str:
    return f"subject-access-{report['generated_at']:%Y%m%d-%H%M%S}.{output}"
