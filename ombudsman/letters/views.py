from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from ombudsman.letters.models import Letter
from ombudsman.letters.services import describe_verification


def letter_file_response(letter: Letter) -> FileResponse:
    """The PDF of a letter; callers check the rights on the letter's object first."""
    if not letter.pdf:
        raise Http404("The file of this letter was erased at the end of its retention period.")
    response = FileResponse(
        letter.pdf.open("rb"),
        as_attachment=False,
        filename=f"{letter.reference}-{letter.kind}-v{letter.version}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@ratelimit(key="ip", rate="60/m", block=True)
def verify(request: HttpRequest, code: str | None = None) -> HttpResponse:
    code = (code or request.GET.get("code") or "").strip()
    result = describe_verification(code) if code else None
    return render(
        request,
        "letters/verify.html",
        {"code": code, "result": result, "searched": bool(code)},
        status=404 if code and result is None else 200,
    )
