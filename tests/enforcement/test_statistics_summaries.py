"""The statistics summaries: with them, every table and the median handling time are those of the
computation over every case and order, for any period, also after what changed since they were
built; the nightly build adds only what ended since, and a second build changes nothing."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F

from cases import services as cases
from cases.models import CaseState
from ombudsman.celery import app as celery_app
from ombudsman.dashboard import statistics, summaries
from ombudsman.dashboard.models import CaseDaySummary, CategoryDaySummary, ClosureDaySummary, OrderDaySummary
from ombudsman.dashboard.tasks import build_statistics_summaries_task
from ombudsman.deadlines.sweep import sweep_deadlines
from platforms import services as orders
from tests.factories import (
    CaseFactory,
    ComplaintFactory,
    OrganisationFactory,
    ServiceFactory,
    bipt_officer,
    liaison_of,
    make_order,
    make_procedure,
)

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
BUILT_ON = date(2026, 5, 20)  # the summaries are built that night, up to the 19th
TODAY = date(2026, 5, 22)  # what changed on the 20th, 21st and 22nd is not summarised

PERIODS = [
    (date(2026, 1, 1), date(2026, 12, 31)),  # the year
    (date(2016, 5, 22), TODAY),  # ten years
    (date(2026, 2, 14), date(2026, 4, 20)),  # through two months
    (date(2026, 3, 2), date(2026, 3, 2)),  # one day
    (date(2026, 1, 31), date(2026, 2, 1)),  # across the end of a month
    (date(2026, 5, 19), TODAY),  # from the last day summarised
    (date(2026, 5, 20), TODAY),  # only what is not summarised
    (date(2026, 6, 1), date(2026, 6, 30)),  # nothing
]


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def complaint(service, *categories: str):
    return ComplaintFactory(service=service, offence_categories=list(categories or ["threats"]))


class Story:
    """Cases and orders over four months; some still open when the summaries are built."""

    def __init__(self, time_machine):
        self.time_machine = time_machine
        self.alpha = OrganisationFactory(name="Alpha Social")
        self.beta = OrganisationFactory(name="Beta Chat")
        self.alpha_service = ServiceFactory(organisation=self.alpha, name="Alpha")
        self.beta_service = ServiceFactory(organisation=self.beta, name="Beta")
        self.alpha_liaison, self.beta_liaison = liaison_of(self.alpha), liaison_of(self.beta)

    def on(self, day: date, hour: int = 10) -> None:
        self.time_machine.move_to(at(day, hour), tick=False)

    def case(self, day: date, state: str, service=None, *categories: str, hour: int = 10):
        self.on(day, hour)
        return CaseFactory(complaint=complaint(service or self.alpha_service, *categories), state=state)

    def closed_after(self, submitted: date, closed: date, service=None, *categories: str):
        case = self.case(submitted, CaseState.REJECTED, service, *categories)
        self.on(closed)
        cases.close_case(case_id=case.pk, by=case.assigned_to)
        return case

    def order(self, day: date, organisation, liaison, state: str = "issued"):
        self.on(day)
        case = self.case(day, CaseState.ESTABLISHED, self.alpha_service if organisation == self.alpha else None)
        self.on(day, 11)
        return make_order(state, case=case, organisation=organisation, liaison=liaison)[0]

    def answer(self, order, day: date, hour: int = 15, accept_on: date | None = None) -> None:
        liaison = self.alpha_liaison if order.organisation_id == self.alpha.pk else self.beta_liaison
        self.on(day, hour)
        orders.submit_answer(order_id=order.pk, by=liaison, outcome="no_data", channel="portal")
        if accept_on:
            self.on(accept_on, hour)
            orders.accept_answer(order_id=order.pk, by=order.case.assigned_to)

    def reject(self, order, day: date) -> None:
        self.on(day, 9)
        orders.reject_answer(order_id=order.pk, by=order.case.assigned_to, reasons="The IP address is missing.")

    def sweep(self, day: date) -> None:
        self.on(day, 2)
        sweep_deadlines(day)


@pytest.fixture
def story(time_machine):
    """Before the build: closed, withdrawn and open cases from January to May (a closure on the
    day the summaries reach, one just before midnight), orders fulfilled, withdrawn, escalated,
    overdue and still open. After it: a case closed, an order answered late, one escalated, one
    fulfilled, a new complaint."""
    s = Story(time_machine)
    beta = s.beta_service
    s.closed_after(date(2026, 1, 5), date(2026, 1, 20))
    s.closed_after(date(2026, 1, 31), date(2026, 2, 3), beta, "stalking", "threats")
    s.closed_after(date(2026, 2, 1), date(2026, 2, 3), beta, "stalking")
    s.closed_after(date(2026, 2, 14), date(2026, 3, 2), None, "intimidation", "other")
    s.case(date(2026, 2, 20), CaseState.WITHDRAWN, beta, "repeated_insults")
    s.case(date(2026, 3, 2), CaseState.WITHDRAWN, None, "threats", hour=23)  # 22:00 UTC: the 2nd in Brussels
    s.case(date(2026, 3, 2), CaseState.SUBMITTED, beta, "sexual_extortion", hour=0)
    s.closed_after(date(2026, 3, 9), date(2026, 5, 19), beta, "threats", "stalking")  # on the last day summarised
    s.case(date(2026, 4, 1), CaseState.IN_ASSESSMENT, None, "other")
    s.case(date(2026, 4, 20), CaseState.AWAITING_INFORMATION, beta)
    s.case(date(2026, 5, 2), CaseState.IN_REVIEW)
    s.closing_later = s.case(date(2026, 4, 3), CaseState.REJECTED, beta, "intimidation")

    s.fulfilled = s.order(date(2026, 3, 2), s.alpha, s.alpha_liaison)
    s.answer(s.fulfilled, date(2026, 3, 4), accept_on=date(2026, 3, 5))
    s.withdrawn = s.order(date(2026, 3, 3), s.beta, s.beta_liaison, "withdrawn")
    s.escalated = s.order(date(2026, 3, 2), s.beta, s.beta_liaison)
    s.late = s.order(date(2026, 4, 1), s.alpha, s.alpha_liaison, "acknowledged")
    s.escalating_later = s.order(date(2026, 4, 27), s.beta, s.beta_liaison)
    s.answered_late = s.order(date(2026, 4, 28), s.alpha, s.alpha_liaison)
    s.fulfilled_later = s.order(date(2026, 5, 4), s.beta, s.beta_liaison, "acknowledged")
    s.answer(s.fulfilled_later, date(2026, 5, 6), hour=9)
    s.open = s.order(date(2026, 5, 11), s.alpha, s.alpha_liaison)
    s.sweep(date(2026, 3, 17))  # the orders of 2 March: overdue (due on the 16th)
    s.sweep(date(2026, 3, 25))  # grace over: the silent one is escalated
    s.answer(s.late, date(2026, 4, 10), accept_on=date(2026, 4, 11))
    s.fulfilled_twice = s.order(date(2026, 4, 14), s.beta, s.beta_liaison)
    s.answer(s.fulfilled_twice, date(2026, 4, 14), hour=18)
    s.reject(s.fulfilled_twice, date(2026, 4, 15))
    s.answer(s.fulfilled_twice, date(2026, 4, 15), accept_on=date(2026, 5, 19))  # finished on the last day
    s.sweep(date(2026, 5, 12))  # the orders of 27 and 28 April: overdue, grace until the 19th
    s.sweep(date(2026, 5, 18))  # the information request of 20 April lapses: closed
    s.on(date(2026, 5, 19), 23)
    procedure = make_procedure("fine_imposed", officer=bipt_officer())  # a fine, for a third organisation
    s.fined = procedure.referral.organisation.name
    return s


def after_the_build(s: Story) -> None:
    s.on(date(2026, 5, 20))
    cases.close_case(case_id=s.closing_later.pk, by=s.closing_later.assigned_to)
    s.answer(s.answered_late, date(2026, 5, 20))
    s.reject(s.fulfilled_later, date(2026, 5, 20))
    s.answer(s.fulfilled_later, date(2026, 5, 20), accept_on=date(2026, 5, 21))  # a second answer, accepted
    s.sweep(date(2026, 5, 21))  # the order of 27 April, still silent, is escalated
    s.case(TODAY, CaseState.SUBMITTED, s.beta_service, "threats", "other")


def figures(start: date, end: date, use_summaries: bool) -> dict:
    tables = {**statistics.SCOREBOARD_TABLES, **statistics.OFFICE_TABLES}
    result = {key: build(start, end, use_summaries=use_summaries).rows for key, build in tables.items()}
    result["median_handling"] = statistics.median_handling_days(start, end, use_summaries=use_summaries)
    return result


def assert_same_as_live(periods=PERIODS) -> None:
    for start, end in periods:
        assert figures(start, end, True) == figures(start, end, False), (start, end)


def summary_rows() -> dict:
    return {
        model.__name__: sorted(
            tuple(sorted(row.items()))
            for row in model.objects.values(*[f.attname for f in model._meta.concrete_fields if f.name != "id"])
        )
        for model in summaries.SUMMARIES
    }


def test_the_figures_with_summaries_are_those_computed_live(story, time_machine):
    story.on(BUILT_ON, 1)
    report = summaries.build_statistics_summaries()
    assert (report.summarised_from, report.summarised_to) == (None, date(2026, 5, 19))
    assert summaries.summarised_to() == date(2026, 5, 19)
    assert_same_as_live()
    after_the_build(story)
    story.on(TODAY, 16)
    assert summaries.summarised_to() == date(2026, 5, 19)
    assert_same_as_live()

    # The figures themselves, counted by hand (Beta's orders are on cases about Alpha's service).
    year = figures(date(2026, 1, 1), date(2026, 12, 31), True)
    assert year["complaints_per_month"] == [
        ["2026-01", 2],
        ["2026-02", 3],
        ["2026-03", 6],
        ["2026-04", 7],
        ["2026-05", 5],
    ]
    assert year["complaints_per_platform"] == [["Alpha Social", 14], ["Beta Chat", 8], [story.fined, 1]]
    assert year["complaints_per_category"] == [
        ["Threats", 17],
        ["Other", 3],
        ["Stalking", 3],
        ["Intimidation", 2],
        ["Repeated insults", 1],
        ["Sexual extortion", 1],
    ]
    assert year["outcomes"] == [
        ["Disclosure pending", 10],
        ["Closed", 7],  # one lapsed: no reply to the request for information
        ["Submitted", 2],
        ["Withdrawn", 2],
        ["In assessment", 1],
        ["In review", 1],
    ]
    assert year["orders_per_month"] == [["2026-03", 3, 1, 1, 1], ["2026-04", 4, 2, 2, 1], ["2026-05", 3, 1, 0, 0]]
    # received, acknowledged in time, answered in time, median days, overdue, escalated, fines, amount
    assert year["scoreboard"] == [
        ["Alpha Social", 4, 1, 2, 9.2, 1, 0, 0, Decimal(0)],  # answered after 2.2, 9.2 and 22.2 days
        ["Beta Chat", 5, 1, 2, 1.1, 2, 2, 0, Decimal(0)],  # after 0.3 and 1.9 days
        [story.fined, 1, 0, 0, None, 0, 0, 1, Decimal("50000.00")],
    ]
    assert year["median_handling"] == 15.0  # 0, 0, 2, 3, 15, 16, 28, 47, 71 days
    one_day = figures(date(2026, 3, 2), date(2026, 3, 2), True)
    assert one_day["complaints_per_month"] == [["2026-03", 4]]  # with the complaints at 00:00 and at 23:00
    assert one_day["median_handling"] == 8.0  # 0 and 16 days
    assert one_day["scoreboard"] == [
        ["Alpha Social", 1, 0, 1, 2.2, 0, 0, 0, Decimal(0)],
        ["Beta Chat", 1, 0, 0, None, 1, 1, 0, Decimal(0)],
    ]
    # What the summaries hold: the 8 cases ended and the 5 orders finished by the 19th.
    assert sum(CaseDaySummary.objects.values_list("cases", flat=True)) == 8
    assert sum(ClosureDaySummary.objects.values_list("cases", flat=True)) == 8
    assert sum(OrderDaySummary.objects.values_list("received", flat=True)) == 5


def test_the_summaries_are_read(story):
    """A summary changed by hand changes the figures: the page reads it, not every case."""
    story.on(BUILT_ON, 1)
    summaries.build_statistics_summaries()
    period = (date(2026, 1, 1), date(2026, 12, 31))
    before = figures(*period, True)
    CaseDaySummary.objects.filter(submitted_on=date(2026, 1, 5)).update(cases=F("cases") + 10)
    OrderDaySummary.objects.filter(issued_on=date(2026, 3, 2), organisation=story.alpha).update(
        received=F("received") + 10, days_to_answer=[0.5, 0.5, 0.5, 0.5]
    )
    ClosureDaySummary.objects.create(closed_on=date(2026, 4, 1), handling_days=100, cases=20)
    after = figures(*period, True)
    assert after["complaints_per_month"][0] == ["2026-01", before["complaints_per_month"][0][1] + 10]
    alpha_before = next(row for row in before["scoreboard"] if row[0] == "Alpha Social")
    alpha_after = next(row for row in after["scoreboard"] if row[0] == "Alpha Social")
    assert alpha_after[1] == alpha_before[1] + 10 and alpha_after[4] != alpha_before[4]
    assert after["median_handling"] == 100.0
    assert figures(*period, False) == before


def test_a_nightly_build_adds_what_ended_since_and_a_second_changes_nothing(story):
    story.on(BUILT_ON, 1)
    build_statistics_summaries_task.delay()
    assert summaries.summarised_to() == date(2026, 5, 19)
    after_the_build(story)
    story.on(TODAY + timedelta(days=1), 1)  # the next night: up to the 22nd
    report = summaries.build_statistics_summaries()
    assert (report.summarised_from, report.summarised_to) == (date(2026, 5, 19), TODAY)
    # The case closed on the 20th; the orders fulfilled and escalated on the 21st (the other one answered
    # late is not finished).
    assert report.rows == {"cases": 1, "categories": 1, "closures": 1, "orders": 2}
    incremental = summary_rows()
    again = summaries.build_statistics_summaries()
    assert again.rows == {} and summary_rows() == incremental
    output = io.StringIO()
    call_command("build_statistics_summaries", stdout=output)
    assert "nothing to add" in output.getvalue() and summary_rows() == incremental
    # Built night after night or at once from the start: the same summaries.
    summaries.build_statistics_summaries(rebuild=True)
    assert summary_rows() == incremental
    assert OrderDaySummary.objects.filter(organisation=story.beta, issued_on=date(2026, 4, 14)).get().days_to_answer
    assert sum(CategoryDaySummary.objects.values_list("cases", flat=True)) > sum(
        CaseDaySummary.objects.values_list("cases", flat=True)
    )
    assert_same_as_live()


def test_the_summaries_reach_yesterday_at_most(story):
    story.on(BUILT_ON, 1)
    assert summaries.build_statistics_summaries(date(2026, 6, 1)).summarised_to == date(2026, 5, 19)
    assert summaries.build_statistics_summaries(date(2026, 3, 1)).rows == {}  # never backwards


def test_beat_builds_the_summaries_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["statistics-summaries"]
    assert entry["task"] == "ombudsman.dashboard.tasks.build_statistics_summaries_task"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {1} and entry["schedule"].minute == {15}


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({}, None),
        ({3: 1}, 3.0),
        ({1: 1, 2: 1}, 1.5),
        ({1: 1, 2: 1, 10: 2}, 6.0),
        ({0: 3, 7: 1}, 0.0),
        ({4: 2, 9: 2}, 6.5),
    ],
)
def test_the_weighted_median_is_that_of_the_values(counts, median):
    assert statistics._weighted_median(Counter(counts)) == median
