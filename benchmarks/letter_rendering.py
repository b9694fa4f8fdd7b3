"""How long one letter takes to render to PDF/A (template + WeasyPrint), per language.

    DJANGO_DEBUG=1 .venv/bin/python benchmarks/letter_rendering.py [--rounds 20]

Rendering only: no database is written. Figures go to the README."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from cases.letters import ACKNOWLEDGEMENT  # noqa: E402
from cases.models import Case  # noqa: E402
from ombudsman.letters.rendering import html_to_pdf  # noqa: E402
from ombudsman.letters.services import compose_letter  # noqa: E402
from platforms.models import Organisation, Service  # noqa: E402


def sample_case(language: str) -> Case:
    organisation = Organisation(name="Meta Platforms Ireland Ltd.", kind="platform", contact_point_email="x@y.z")
    service = Service(name="Instagram", organisation=organisation)
    return Case(
        reference="OMB-2026-000123",
        language=language,
        complainant_first_name="Emma",
        complainant_last_name="Claes",
        street="Wetstraat 16",
        postal_code="1000",
        city="Brussel",
        service=service,
        submitted_at=timezone.now(),
    )


def render_once(language: str) -> float:
    case = sample_case(language)
    started = time.perf_counter()
    _letter, html = compose_letter(ACKNOWLEDGEMENT, case, language=language)
    html_to_pdf(html)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    render_once("en")  # warm-up: fonts and templates load once per process
    print(f"acknowledgement letter, {args.rounds} renders per language")
    for language in ("nl", "fr", "de", "en"):
        times = sorted(render_once(language) for _ in range(args.rounds))
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"  {language}: median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
