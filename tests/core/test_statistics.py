"""Streaks and buckets of the productivity statistics, against a brute-force oracle."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from taskhaven.core.statistics import Streak, per_day, streaks

TODAY = date(2024, 3, 20)  # a Wednesday


def oracle(
    totals: dict[date, int], current: date, goal: int, skipped: set[int]
) -> tuple[Streak, Streak]:
    """Runs of met days, split wherever an unmet, unskipped, finished day lies between."""
    met = sorted(d for d, n in totals.items() if n >= goal and d <= current)
    if goal <= 0 or not met:
        return Streak(), Streak()

    def broken(after: date, until: date) -> bool:
        day = after + timedelta(days=1)
        while day <= until:
            if day != current and totals.get(day, 0) < goal and day.isoweekday() not in skipped:
                return True
            day += timedelta(days=1)
        return False

    runs: list[list[date]] = [[met[0]]]
    for previous, day in pairwise(met):
        if broken(previous, day - timedelta(days=1)):
            runs.append([day])
        else:
            runs[-1].append(day)
    best = max(runs, key=len)  # the first of the longest runs, as the scan keeps it
    best_streak = Streak(len(best), best[0], best[-1])
    last = runs[-1]
    current_streak = Streak() if broken(last[-1], current) else Streak(len(last), last[0], last[-1])
    return current_streak, best_streak


@given(
    counts=st.lists(st.integers(0, 3), min_size=1, max_size=40),
    goal=st.integers(0, 3),
    skipped=st.sets(st.integers(1, 7), max_size=3),
)
def test_daily_streaks_match_the_oracle(counts: list[int], goal: int, skipped: set[int]) -> None:
    start = TODAY - timedelta(days=len(counts) - 1)
    totals = {start + timedelta(days=i): n for i, n in enumerate(counts) if n}
    result = streaks(totals, current=TODAY, step=1, goal=goal, skip_weekdays=skipped)
    assert result == oracle(totals, TODAY, goal, skipped)
    current, best = result
    assert current.count <= best.count


def test_an_unfinished_day_does_not_break_the_streak() -> None:
    totals = {TODAY - timedelta(days=2): 1, TODAY - timedelta(days=1): 1}
    current, best = streaks(totals, current=TODAY, step=1, goal=1)
    assert current == best == Streak(2, TODAY - timedelta(days=2), TODAY - timedelta(days=1))


def test_a_missed_day_breaks_the_streak_unless_ignored() -> None:
    monday = TODAY - timedelta(days=2)
    totals = {monday - timedelta(days=2): 1, monday: 1, TODAY: 1}  # Saturday, Monday, Wednesday
    assert streaks(totals, current=TODAY, step=1, goal=1)[0] == Streak(1, TODAY, TODAY)
    current, _best = streaks(totals, current=TODAY, step=1, goal=1, skip_weekdays=[7, 2])
    assert current == Streak(3, monday - timedelta(days=2), TODAY)


def test_weekly_streaks_step_by_weeks() -> None:
    monday = TODAY - timedelta(days=2)
    totals = {monday - timedelta(weeks=2): 5, monday - timedelta(weeks=1): 5}
    current, best = streaks(totals, current=monday, step=7, goal=5)
    assert current == best == Streak(2, monday - timedelta(weeks=2), monday - timedelta(weeks=1))
    assert streaks(totals, current=monday, step=7, goal=0) == (Streak(), Streak())


def test_completions_are_bucketed_by_local_day() -> None:
    late = datetime(2024, 3, 20, 23, 30, tzinfo=UTC)
    days = per_day([(late, 1), (late, 2), (late - timedelta(hours=1), 1)], ZoneInfo("Asia/Tokyo"))
    assert days == {date(2024, 3, 21): Counter({1: 2, 2: 1})}
