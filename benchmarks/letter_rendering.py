"""What the whole letter path costs against a bare WeasyPrint call on the same HTML, in one run.

    benchmarks/letter_rendering.py [--cases 1000000] [--rounds 20] [--kind disclosure_order]
    BENCH_REUSE=1 benchmarks/letter_rendering.py

The whole path is what the letters worker runs for one request (`render_letter`): the template,
WeasyPrint (with the stylesheet and fonts prepared once per process), the SHA-256, the file in
storage, the letter row and its audit event (queueing the letter's e-mail is the task's next step,
`mail_letter`, and not part of it), on the benchmark database, in a process prepared as
a letters worker prepares itself when it starts (`prepare_worker`), with the production settings
(`DJANGO_DEBUG=0`). The bare call renders the
same letter's HTML, with its stylesheet inline as a self-contained page, by
`HTML(string=...).write_pdf(pdf_variant="pdf/a-3b")` and nothing else, in a process of its own
that holds WeasyPrint only, as a bare call would. The two alternate, one letter each per round,
each letter for another order, so that a busy moment of the machine weighs on both alike.
Prints the medians, the 95th percentiles and the ratio of the medians.
Goal: a ratio of at most 1.0."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

from common import figures, machine, prepare, production_environment

GOAL_RATIO = 1.0

# The bare call's process: WeasyPrint and nothing else. It reads the path of a page per line and
# answers with the seconds the call took, leaving the PDF next to the page.
BARE_RENDERER = """
import json, sys, time
from weasyprint import HTML
for line in sys.stdin:
    path = line.strip()
    with open(path, encoding="utf-8") as handle:
        page = handle.read()
    started = time.perf_counter()
    pdf = HTML(string=page, base_url=sys.argv[1]).write_pdf(pdf_variant=sys.argv[2])
    elapsed = time.perf_counter() - started
    with open(path + ".pdf", "wb") as handle:
        handle.write(pdf)
    print(json.dumps(elapsed), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--kind", default="disclosure_order", help="a letter kind about an order")
    args = parser.parse_args()
    os.environ.update(production_environment())  # as a letters worker runs
    prepare(args.cases)

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from pypdf import PdfReader

    from ombudsman.letters.kinds import get_kind
    from ombudsman.letters.models import LetterRequest
    from ombudsman.letters.rendering import LETTER_STYLESHEET, PDF_VARIANT, prepare_worker
    from ombudsman.letters.services import compose_letter, render_letter
    from platforms.models import DisclosureOrder, OrderDeadline

    stylesheet = LETTER_STYLESHEET.read_text()
    kind = get_kind(args.kind)
    orders = list(
        DisclosureOrder.objects.filter(state="fulfilled")
        .select_related("organisation")
        .order_by("-id")[: args.rounds + 2]
    )
    content_type = ContentType.objects.get_for_model(DisclosureOrder)
    print(f"{DisclosureOrder.objects.count():,} orders; {machine()}")

    def parameters(order: DisclosureOrder) -> dict:
        # As issuing the order requests its letter: with the time to answer it was issued with.
        return {"days": OrderDeadline.days_for(order.organisation, order.kind)}

    def whole(order: DisclosureOrder) -> tuple[float, bytes]:
        request = LetterRequest.objects.create(
            kind=kind.code,
            language=order.organisation.letter_language,
            content_type=content_type,
            object_id=str(order.pk),
            trigger_key=f"benchmark:{uuid.uuid4()}",
            parameters=parameters(order),
        )
        started = time.perf_counter()
        letter = render_letter(request.pk)
        elapsed = time.perf_counter() - started
        with letter.pdf.open("rb") as handle:
            return elapsed, handle.read()

    bare_renderer = subprocess.Popen(
        [sys.executable, "-c", BARE_RENDERER, str(settings.BASE_DIR), PDF_VARIANT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    pages_dir = tempfile.mkdtemp(prefix="bare-letters-")

    def bare(order: DisclosureOrder) -> tuple[float, bytes]:
        _letter, html = compose_letter(
            kind, order, language=order.organisation.letter_language, parameters=parameters(order)
        )
        page = os.path.join(pages_dir, f"{order.pk}.html")
        with open(page, "w", encoding="utf-8") as handle:
            handle.write(html.replace("<style>", "<style>" + stylesheet, 1))  # self-contained, as before
        bare_renderer.stdin.write(page + "\n")
        bare_renderer.stdin.flush()
        elapsed = json.loads(bare_renderer.stdout.readline())
        with open(page + ".pdf", "rb") as handle:
            return elapsed, handle.read()

    prepare_worker()  # as a letters worker does when it starts
    whole(orders[0])  # warm-up: imports, templates
    bare(orders[1])
    whole_times, bare_times = [], []
    pages = set()
    for number, order in enumerate(orders[2:]):
        for path, times in ((whole, whole_times), (bare, bare_times))[:: 1 if number % 2 else -1]:
            elapsed, pdf = path(order)
            times.append(elapsed)
            pages.add(len(PdfReader(io.BytesIO(pdf)).pages))
    bare_renderer.stdin.close()
    bare_renderer.wait(timeout=30)
    whole_median, whole_p95 = figures(whole_times)
    bare_median, bare_p95 = figures(bare_times)
    ratio = whole_median / bare_median
    print(f"{kind.code} letter ({'/'.join(map(str, sorted(pages)))} pages), {len(whole_times)} rounds:")
    print(
        f"  whole path (template, WeasyPrint, SHA-256, storage, row, event):"
        f" median {whole_median:.0f} ms, p95 {whole_p95:.0f} ms"
    )
    print(
        f"  bare WeasyPrint call on the same HTML, in its own process:     "
        f" median {bare_median:.0f} ms, p95 {bare_p95:.0f} ms"
    )
    print(f"  ratio {ratio:.2f} ({'goal met' if ratio <= GOAL_RATIO else 'goal missed'}: at most {GOAL_RATIO})")


if __name__ == "__main__":
    main()
