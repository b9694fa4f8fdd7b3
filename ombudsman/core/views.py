from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ombudsman.accounts.roles import BIPT_HEAD, BIPT_OFFICER, OMBUDSMAN_STAFF_ROLES, PLATFORM_LIAISON, has_role
from ombudsman.core.health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    # Down only when a part is down; backlog and sweep age are for monitoring to judge.
    healthy = report["database"] == "ok" and report["broker"] == "ok"
    return JsonResponse(report, status=200 if healthy else 503)


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where each role lands after logging in: its start page (the admin for administrators)."""
    from ombudsman.dashboard.views import today_page

    if has_role(request.user, *OMBUDSMAN_STAFF_ROLES, PLATFORM_LIAISON, BIPT_OFFICER, BIPT_HEAD):
        return today_page(request)
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("home")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: JSON under /api/ (as every API error), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"status": 404, "code": "not_found", "message": "No such resource."}}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 (a request too large to read, or malformed): JSON under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"error": {"status": 400, "code": "bad_request", "message": "The request could not be read."}}
        return JsonResponse(body, status=400)
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"error": {"status": 500, "code": "server_error", "message": "Something went wrong on our side."}}
        return JsonResponse(body, status=500)
    return render(request, "500.html", status=500)
