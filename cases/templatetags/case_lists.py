"""The rows of the work queue and the handling target, written in Python rather than as template
includes: a page of 100 cases rendered through nested template tags spent most of its time in
the template engine."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from cases.models.case import HandlingStatus

register = template.Library()


@register.simple_tag
def handling_target(status: HandlingStatus | None) -> SafeString:
    """Where a case stands against its handling target: due date and days left or late, or paused."""
    if not status:
        return mark_safe("—")
    if status.paused_since:
        since = formats.date_format(status.paused_since, "SHORT_DATE_FORMAT")
        return format_html('<span class="paused">{}</span>', _("paused since %(since)s") % {"since": since})
    if status.days_late:
        css = "overdue"
        days = ngettext("%(days)s day late", "%(days)s days late", status.days_late) % {"days": status.days_late}
    else:
        css = "near" if status.near else ""
        days = ngettext("%(days)s day left", "%(days)s days left", status.days_left) % {"days": status.days_left}
    due = formats.date_format(status.due_on, "SHORT_DATE_FORMAT")
    return format_html('<span class="{}">{} · {}</span>', css, due, days)


@register.simple_tag
def queue_rows(cases: Iterable[Case], today: date | None = None) -> SafeString:
    """The cases of a work queue page as table rows."""
    # One reverse for the page: the references are URL-safe (letters, digits and hyphens).
    detail_url = reverse("cases:detail", args=["REFERENCE"])
    linked = format_html(
        ' <span class="linked" title="{}">{}</span>', _("Another case names the same perpetrator"), _("linked")
    )
    rows = []
    for case in cases:
        submitted = timezone.localtime(case.submitted_at)
        assignee = case.assigned_to.display_name if case.assigned_to_id else ""
        rows.append(
            format_html(
                "<tr>"
                '<td><a href="{}">{}</a>{}</td>'
                '<td><span class="state state-{}">{}</span></td>'
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                '<td><time datetime="{}">{}</time><br><span class="help">{}</span></td>'
                "<td>{}</td>"
                "</tr>",
                detail_url.replace("REFERENCE", case.reference),
                case.reference,
                linked if getattr(case, "linked", False) else "",
                case.state,
                case.get_state_display(),
                case.service.organisation.name,
                case.service.name,
                case.get_channel_display(),
                assignee or "—",
                submitted.isoformat(),  # what the date filter's "c" gives
                formats.date_format(submitted, "SHORT_DATETIME_FORMAT"),
                timesince(case.submitted_at),
                handling_target(case.handling_status(today)),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (each row is built by format_html)
