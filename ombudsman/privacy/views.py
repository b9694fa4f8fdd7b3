"""The data-subject access screen: reviewers and administrators only; others get 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ombudsman.privacy.access import export_subject_data, may_answer_access_requests
from ombudsman.privacy.documents import export_filename, export_json, export_pdf
from ombudsman.privacy.forms import SubjectAccessForm

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


@login_required
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    if not may_answer_access_requests(request.user):
        raise Http404
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and not form.is_valid():
        return render(request, "privacy/subject_access.html", {"form": form}, status=400)
    report = None
    if request.method == "POST":
        output = form.chosen_output()
        report = export_subject_data(query=form.query(), output=output, by=request.user)
        if output in CONTENT_TYPES:
            body = export_json(report) if output == "json" else export_pdf(report)
            response = HttpResponse(body, content_type=CONTENT_TYPES[output])
            response["Content-Disposition"] = f'attachment; filename="{export_filename(report, output)}"'
            response["Cache-Control"] = "private, no-store"
            return response
    response = render(request, "privacy/subject_access.html", {"form": form, "report": report})
    response["Cache-Control"] = "private, no-store"
    return response
