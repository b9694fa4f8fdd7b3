"""The cooperation scoreboard and the office's figures, against a fixture built by hand."""

from __future__ import annotations

import csv
import io
import time as real_time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ombudsman.dashboard import statistics
from ombudsman.deadlines.sweep import sweep_deadlines
from platforms import services
from tests.factories import OrganisationFactory, bipt_officer, liaison_of, make_order, make_procedure, officer

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: int, month: int = 3, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=BRUSSELS)


@pytest.fixture
def cooperation(time_machine):
    """Alpha: one order answered in time, one late after a formal notice, one escalated.
    Beta: one order answered the next day. Gamma: fined EUR 50,000 by BIPT."""
    time_machine.move_to(at(2))
    alpha = OrganisationFactory(name="Alpha Social")
    beta = OrganisationFactory(name="Beta Chat")
    alpha_liaison, beta_liaison = liaison_of(alpha), liaison_of(beta)
    in_time = make_order("issued", organisation=alpha, liaison=alpha_liaison)[0]
    late = make_order("issued", organisation=alpha, liaison=alpha_liaison)[0]
    make_order("issued", organisation=alpha, liaison=alpha_liaison)  # never answered
    beta_order = make_order("issued", organisation=beta, liaison=beta_liaison)[0]

    time_machine.move_to(at(3))
    services.submit_answer(order_id=beta_order.pk, by=beta_liaison, outcome="no_data", channel="api")
    time_machine.move_to(at(5))
    services.acknowledge_order(order_id=in_time.pk, by=alpha_liaison)
    services.submit_answer(order_id=in_time.pk, by=alpha_liaison, outcome="no_data", channel="portal")
    sweep_deadlines(date(2026, 3, 13))  # due 12 March: late and silent become overdue
    time_machine.move_to(at(16))
    services.submit_answer(order_id=late.pk, by=alpha_liaison, outcome="no_data", channel="portal")
    sweep_deadlines(date(2026, 3, 21))  # grace until 20 March: silent is escalated
    time_machine.move_to(at(25))
    make_procedure("fine_imposed", officer=bipt_officer())  # Gamma's organisation and its fine
    return alpha, beta


def test_the_scoreboard_matches_the_fixture(cooperation):
    table = statistics.scoreboard(date(2026, 3, 1), date(2026, 3, 31))
    rows = {row[0]: row[1:] for row in table.rows}
    # received, acknowledged in time, answered in time, median days, overdue, escalated, fines, amount
    assert rows["Alpha Social"] == [3, 1, 1, 8.5, 2, 1, 0, Decimal(0)]
    assert rows["Beta Chat"] == [1, 0, 1, 1.0, 0, 0, 0, Decimal(0)]
    fined = [row for name, row in rows.items() if name not in ("Alpha Social", "Beta Chat")]
    assert fined == [[1, 0, 0, None, 0, 0, 1, Decimal("50000.00")]]


def test_the_period_filters_the_orders(cooperation):
    table = statistics.scoreboard(date(2026, 4, 1), date(2026, 4, 30))
    assert table.rows == []
    months = statistics.orders_per_month(date(2026, 1, 1), date(2026, 12, 31))
    assert months.rows == [["2026-03", 5, 2, 2, 1]]


def test_the_office_figures_and_their_csv(cooperation, client):
    per_month = statistics.complaints_per_month(date(2026, 1, 1), date(2026, 12, 31))
    assert per_month.rows == [["2026-03", 5]]
    categories = statistics.complaints_per_category(date(2026, 1, 1), date(2026, 12, 31))
    assert categories.rows == [["Threats", 5]]
    outcomes = dict(statistics.outcomes(date(2026, 1, 1), date(2026, 12, 31)).rows)
    assert outcomes == {"Disclosure pending": 5}

    client.force_login(officer())
    page = client.get("/statistics/", {"start": "2026-03-01", "end": "2026-03-31"})
    assert page.status_code == 200 and "Alpha Social" in page.content.decode() and "<svg" in page.content.decode()
    exported = client.get("/statistics/scoreboard.csv", {"start": "2026-03-01", "end": "2026-03-31"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][:3] == ["Organisation", "Orders received", "Acknowledged in time"]
    assert ["Alpha Social", "3", "1", "1", "8.5", "2", "1", "0", "0"] in rows
    assert client.get("/statistics/complaints_per_month.csv").status_code == 200


def test_bipt_sees_the_scoreboard_but_not_the_office_figures(cooperation, client):
    client.force_login(bipt_officer())
    page = client.get("/statistics/", {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert "Cooperation of platforms and operators" in page and "Complaints per month" not in page
    assert client.get("/statistics/complaints_per_month.csv").status_code == 404
    assert client.get("/statistics/scoreboard.csv").status_code == 200
    client.force_login(liaison_of(OrganisationFactory()))
    assert client.get("/statistics/").status_code == 404


def test_the_page_keeps_the_figures_of_a_period_for_the_configured_time(cooperation, client, settings):
    period = {"start": "2026-01-01", "end": "2026-12-31"}
    client.force_login(officer())
    settings.STATISTICS_CACHE_SECONDS = 2  # the cache (Redis) keeps its own, real time

    def complaints() -> list:
        page = client.get("/statistics/", period)
        return next(table.rows for table, _chart in page.context["tables"] if table.key == "complaints_per_month")

    assert complaints() == [["2026-03", 5]]
    make_order(organisation=OrganisationFactory())  # a sixth complaint, in March
    assert complaints() == [["2026-03", 5]]  # the figures computed a moment ago
    assert "Figures computed at" in client.get("/statistics/", period).content.decode()
    real_time.sleep(2.1)
    assert complaints() == [["2026-03", 6]]
    settings.STATISTICS_CACHE_SECONDS = 0
    make_order(organisation=OrganisationFactory())
    assert complaints() == [["2026-03", 7]]
