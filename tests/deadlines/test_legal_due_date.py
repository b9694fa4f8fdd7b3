"""The Belgian legal rule for time limits (Judicial Code art. 52-53), on a table and as a property."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ombudsman.deadlines import legal_due_date
from ombudsman.deadlines.calendar import add_working_days, due_date, is_working_day
from ombudsman.deadlines.models import ClosureDay
from tests.conftest import in_parallel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (date(2026, 3, 2), 15, date(2026, 3, 17), "a Tuesday: the event day is not counted, the last day is"),
        (date(2026, 3, 2), 0, date(2026, 3, 2), "no time at all"),
        (date(2026, 3, 23), 14, date(2026, 4, 7), "Easter Monday 6 April 2026 moves the last day to Tuesday"),
        (date(2026, 3, 22), 15, date(2026, 4, 7), "a Monday that is Easter Monday"),
        (date(2026, 4, 29), 15, date(2026, 5, 15), "Ascension, Thursday 14 May 2026"),
        (date(2026, 5, 10), 15, date(2026, 5, 26), "Whit Monday, 25 May 2026"),
        (date(2026, 7, 6), 15, date(2026, 7, 22), "National Day, Tuesday 21 July 2026"),
        (date(2026, 7, 31), 15, date(2026, 8, 17), "15 August 2026 is a Saturday: Monday 17"),
        (date(2026, 10, 17), 15, date(2026, 11, 2), "All Saints, Sunday 1 November 2026: Monday 2"),
        (date(2026, 10, 27), 15, date(2026, 11, 12), "Armistice, Wednesday 11 November 2026"),
        (date(2026, 12, 10), 15, date(2026, 12, 28), "Christmas on a Friday (2026): the Monday after"),
        (date(2026, 12, 17), 15, date(2027, 1, 4), "New Year 2027 on a Friday, then a weekend"),
        (date(2027, 12, 17), 15, date(2028, 1, 3), "New Year 2028 on a Saturday: Monday 3 January"),
        (date(2026, 11, 29), 90, date(2027, 3, 1), "90 days ending on a Saturday"),
        (date(2026, 5, 1), 30, date(2026, 6, 1), "a time limit starting on Labour Day"),
    ],
)
def test_the_table_of_belgian_deadlines(start, days, expected, why):
    assert legal_due_date(start, days) == expected, why


def test_a_closure_day_added_by_an_administrator_moves_the_deadline():
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 17)
    ClosureDay.objects.create(day=date(2026, 3, 17), reason="Move of the office")
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 18)


def test_closure_days_are_read_once_and_a_removed_one_counts_again(django_assert_num_queries):
    closure = ClosureDay.objects.create(day=date(2026, 3, 17), reason="Move of the office")
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 18)
    with django_assert_num_queries(0):
        assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 18)
        assert add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 18)
    closure.delete()
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 17)


@pytest.mark.django_db(transaction=True)
def test_a_closure_day_set_on_another_connection_counts_once_it_commits():
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 17)
    in_parallel(lambda: ClosureDay.objects.create(day=date(2026, 3, 17), reason="Strike"), times=1)
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 18)


def test_a_closure_day_set_in_another_process_counts_here_within_seconds(monkeypatch):
    from django.core.cache import cache

    import ombudsman.core.cache
    from ombudsman.deadlines.calendar import CLOSURE_DAYS_CACHE_KEY

    clock = [1000.0]
    monkeypatch.setattr(ombudsman.core.cache, "monotonic", lambda: clock[0])
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 17)
    # The other process writes the day and clears the shared entry; this process's copy stays.
    ClosureDay.objects.bulk_create([ClosureDay(day=date(2026, 3, 17), reason="Strike")])
    cache.delete(CLOSURE_DAYS_CACHE_KEY)
    clock[0] += ombudsman.core.cache.PROCESS_COPY_SECONDS - 1
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 17)
    clock[0] += 1
    assert legal_due_date(date(2026, 3, 2), 15) == date(2026, 3, 18)


def test_a_negative_time_limit_is_refused():
    with pytest.raises(ValueError, match="negative"):
        legal_due_date(date(2026, 3, 2), -1)


def test_working_days_skip_weekends_and_holidays():
    # Friday 3 April 2026, then Easter Monday: two working days later is Wednesday 8 April.
    assert add_working_days(date(2026, 4, 3), 2) == date(2026, 4, 8)
    assert add_working_days(date(2026, 4, 8), -2) == date(2026, 4, 3)


def _working(day: date) -> bool:
    return is_working_day(day)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31)), days=st.integers(0, 400))
def test_the_due_date_is_the_earliest_working_day_at_least_days_after_start(start, days):
    result = due_date(start, days, _working)
    assert _working(result)
    assert result >= start + timedelta(days=days)
    day = start + timedelta(days=days)
    while day < result:
        assert not _working(day), f"{day} is a working day before {result}"
        day += timedelta(days=1)
    # Never more than a long weekend plus a holiday bridge away.
    assert (result - (start + timedelta(days=days))).days <= 4
