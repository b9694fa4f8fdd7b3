"""Statistics pages and CSV exports: the scoreboard for the office and BIPT, the office's
own figures for the office only."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from ombudsman.accounts.roles import BIPT_HEAD, BIPT_OFFICER, OMBUDSMAN_STAFF_ROLES, has_role
from ombudsman.dashboard import statistics
from ombudsman.dashboard.digest import set_digest_preferences
from ombudsman.dashboard.today import sections_for


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or (end - timedelta(days=365))
        return min(start, end), max(start, end)


def _tables_for(request: HttpRequest) -> dict:
    office = has_role(request.user, *OMBUDSMAN_STAFF_ROLES)
    if not (office or has_role(request.user, BIPT_OFFICER, BIPT_HEAD)):
        raise Http404
    return {**statistics.SCOREBOARD_TABLES, **(statistics.OFFICE_TABLES if office else {})}, office


def _figures(builders: dict, office: bool, start: date, end: date) -> dict:
    """The tables of a period, computed at most STATISTICS_CACHE_SECONDS ago (the same for every
    user of the same side: the office's tables, or BIPT's scoreboard)."""
    key = f"statistics:{'office' if office else 'bipt'}:{start}:{end}"
    figures = cache.get(key) if settings.STATISTICS_CACHE_SECONDS else None
    if figures is None:
        with statistics.snapshot():  # every table from the same summaries and rows
            figures = {
                "tables": [build(start, end) for build in builders.values()],
                "median_handling": statistics.median_handling_days(start, end) if office else None,
                "computed_at": timezone.now(),
            }
        if settings.STATISTICS_CACHE_SECONDS:
            cache.set(key, figures, settings.STATISTICS_CACHE_SECONDS)
    return figures


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    builders, office = _tables_for(request)
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    figures = _figures(builders, office, start, end)
    tables = figures["tables"]
    charts = []
    for table in tables:
        peak = max((row[table.chart_column] or 0 for row in table.rows), default=0) if table.chart_column else 0
        charts.append(
            [
                (row[0], row[table.chart_column], 100 * (row[table.chart_column] or 0) / peak if peak else 0)
                for row in table.rows
            ]
            if table.chart_column
            else []
        )
    return render(
        request,
        "dashboard/statistics.html",
        {
            "period": period,
            "start": start,
            "end": end,
            "tables": list(zip(tables, charts, strict=True)),
            "median_handling": figures["median_handling"],
            "computed_at": figures["computed_at"],
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def statistics_csv(request: HttpRequest, key: str) -> HttpResponse:
    builders, _office = _tables_for(request)
    if key not in builders:
        raise Http404
    start, end = PeriodForm(request.GET or None).period()
    table = builders[key](start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow([str(column) for column in table.columns])
    writer.writerows(table.rows)
    return response


class DigestForm(forms.Form):
    digest_opt_in = forms.BooleanField(label=_("Send me this summary by e-mail every morning"), required=False)
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)


@login_required
@require_GET
def today_page(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what needs attention today and this week."""
    sections = sections_for(request.user)
    form = DigestForm(initial={"digest_opt_in": request.user.digest_opt_in, "language": request.user.language})
    return render(request, "dashboard/today.html", {"sections": sections, "digest_form": form})


@login_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    if form.is_valid():
        set_digest_preferences(
            user=request.user, opt_in=form.cleaned_data["digest_opt_in"], language=form.cleaned_data["language"]
        )
        flash.success(request, _("Saved."))
    return redirect("start")
