"""The rows of the work queue and the handling target, written in Python rather than as template
includes: a page of 100 cases rendered through nested template tags spent most of its time in
the template engine."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from django import template
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import SafeData, SafeString
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from cases.models.case import HandlingStatus
from ombudsman.accounts.models import User

register = template.Library()


def queue_row_cases() -> QuerySet[Case]:
    """The cases as a page of the queue reads them: the columns a row shows, and the names of the
    platform, service and officer as columns of the case rather than as three model instances
    more per row."""
    return Case.objects.only(
        "reference", "state", "channel", "submitted_at", "handling_due_on", "paused_since", "assigned_to_id"
    ).annotate(
        service_name=F("service__name"),
        organisation_name=F("service__organisation__name"),
        assignee_first_name=F("assigned_to__first_name"),
        assignee_last_name=F("assigned_to__last_name"),
        assignee_username=F("assigned_to__username"),
    )


class _PageTimeStrings:
    """One of Django's time strings ("%(num)d days") translated once per number for a page,
    rather than once per row: timesince spends most of its time there."""

    def __init__(self, lazy_plural: object) -> None:
        self.lazy_plural = lazy_plural
        self.by_number: dict[int, str] = {}

    def __mod__(self, values: dict[str, int]) -> str:
        text = self.by_number.get(values["num"])
        if text is None:
            text = self.by_number[values["num"]] = self.lazy_plural % values
        return text


@register.simple_tag
def handling_target(status: HandlingStatus | None) -> SafeString:
    """Where a case stands against its handling target: due date and days left or late, or paused."""
    return SafeString(_handling_target(status, get_format("SHORT_DATE_FORMAT")))


def _handling_target(status: HandlingStatus | None, date_format: str) -> str:
    if not status:
        return "—"
    if status.paused_since:
        since = dateformat.format(status.paused_since, date_format)
        return f'<span class="paused">{_text(_("paused since %(since)s") % {"since": since})}</span>'
    if status.days_late:
        css = "overdue"
        days = ngettext("%(days)s day late", "%(days)s days late", status.days_late) % {"days": status.days_late}
    else:
        css = "near" if status.near else ""
        days = ngettext("%(days)s day left", "%(days)s days left", status.days_left) % {"days": status.days_left}
    return f'<span class="{css}">{_text(dateformat.format(status.due_on, date_format))} · {_text(days)}</span>'


def _text(value: object) -> str:
    """`value` escaped for HTML, as Django's escape does it (the same replacements), without its
    handling of lazy strings at every call."""
    return value if isinstance(value, SafeData) else escape(str(value))


@register.simple_tag
def queue_rows(cases: Iterable[Case], today: date | None = None) -> SafeString:
    """The cases of a work queue page, as `queue_row_cases` reads them, as table rows."""
    # One reverse for the page: the references are URL-safe (letters, digits and hyphens).
    detail_url = reverse("cases:detail", args=["REFERENCE"])
    linked_title = _text(_("Another case names the same perpetrator"))
    linked_mark = f' <span class="linked" title="{linked_title}">{_text(_("linked"))}</span>'
    # The formats and the labels of states and channels once per page, not once per row.
    datetime_format, date_format = get_format("SHORT_DATETIME_FORMAT"), get_format("SHORT_DATE_FORMAT")
    labels: dict[tuple[str, str], str] = {}
    now = timezone.now()
    time_strings = {unit: _PageTimeStrings(plural) for unit, plural in TIME_STRINGS.items()}
    rows = []
    for case in cases:
        state_label = labels.get(("state", case.state))
        if state_label is None:
            state_label = labels[("state", case.state)] = _text(case.get_state_display())
        channel_label = labels.get(("channel", case.channel))
        if channel_label is None:
            channel_label = labels[("channel", case.channel)] = _text(case.get_channel_display())
        submitted = timezone.localtime(case.submitted_at)
        assignee = ""
        if case.assigned_to_id:
            assignee = User.name_to_display(case.assignee_first_name, case.assignee_last_name, case.assignee_username)
        rows.append(
            "<tr>"
            f'<td><a href="{_text(detail_url.replace("REFERENCE", case.reference))}">{_text(case.reference)}</a>'
            f"{linked_mark if getattr(case, 'linked', False) else ''}</td>"
            f'<td><span class="state state-{_text(case.state)}">{state_label}</span></td>'
            f"<td>{_text(case.organisation_name)}</td><td>{_text(case.service_name)}</td>"
            f"<td>{channel_label}</td><td>{_text(assignee or '—')}</td>"
            # The datetime attribute is what the date filter's "c" gives.
            f'<td><time datetime="{_text(submitted.isoformat())}">'
            f"{_text(dateformat.format(submitted, datetime_format))}</time><br>"
            f'<span class="help">{_text(timesince(case.submitted_at, now, time_strings=time_strings))}</span></td>'
            f"<td>{_handling_target(case.handling_status(today), date_format)}</td>"
            "</tr>"
        )
    return SafeString("\n".join(rows))  # each part above is escaped
