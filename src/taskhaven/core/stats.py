"""Productivity statistics computed from the completion history.

Days are the user's local calendar days; weeks start on the user's ``start_day``. A streak
counts consecutive days (weeks) whose completions reached the goal. The day (week) still
in progress never breaks a streak, and an ignored weekday breaks none either (completions
on it still count). A goal of 0 turns its streaks off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from taskhaven.core import completed
from taskhaven.core.statistics import week_start

DAYS_SHOWN = 7
WEEKS_SHOWN = 4


@dataclass(frozen=True)
class Bucket:
    """Completions in one day or week, per project id."""

    start: date
    end: date
    per_project: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.per_project.values())


@dataclass(frozen=True)
class Streak:
    count: int = 0
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Stats:
    days: list[Bucket]  # newest first
    weeks: list[Bucket]  # newest first
    completed: int
    current_daily: Streak
    max_daily: Streak
    current_weekly: Streak
    max_weekly: Streak


def per_day(moments: Iterable[tuple[datetime, int]], tz: ZoneInfo) -> dict[date, Counter[int]]:
    days: dict[date, Counter[int]] = {}
    for moment, project_id in moments:
        days.setdefault(moment.astimezone(tz).date(), Counter())[project_id] += 1
    return days


def _bucket(days: Mapping[date, Counter[int]], start: date, length: int) -> Bucket:
    total: Counter[int] = Counter()
    for offset in range(length):
        total.update(days.get(start + timedelta(days=offset), Counter()))
    return Bucket(start, start + timedelta(days=length - 1), dict(total))


def streaks(
    totals: Mapping[date, int],
    *,
    current: date,
    step: int,
    goal: int,
    skip_weekdays: Iterable[int] = (),
) -> tuple[Streak, Streak]:
    """(current streak, longest streak) over periods of ``step`` days up to ``current``.

    ``totals`` is keyed by each period's first day; ``skip_weekdays`` (ISO 1-7) are periods
    that count when the goal was met but break nothing when it was not.
    """
    if goal <= 0 or not totals:
        return Streak(), Streak()
    skipped = set(skip_weekdays)
    best = Streak()
    run = Streak()
    period = min(totals)
    while period <= current:
        met = totals.get(period, 0) >= goal
        if met:
            run = Streak(run.count + 1, run.start or period, period)
            if run.count > best.count:
                best = run
        elif period != current and period.isoweekday() not in skipped:
            run = Streak()
        period += timedelta(days=step)
    return run, best


def compute(
    conn: Connection,
    user_id: int,
    *,
    tz: ZoneInfo,
    now: datetime,
    start_day: int,
    goals: Mapping[str, object],
) -> Stats:
    days = per_day(completed.moments(conn, user_id), tz)
    today = now.astimezone(tz).date()
    this_week = week_start(today, start_day)
    day_totals = {day: sum(counts.values()) for day, counts in days.items()}
    week_totals: Counter[date] = Counter()
    for day, total in day_totals.items():
        week_totals[week_start(day, start_day)] += total
    ignore = goals.get("ignore_days") or []
    current_daily, max_daily = streaks(
        day_totals,
        current=today,
        step=1,
        goal=_int(goals.get("daily_goal")),
        skip_weekdays=ignore if isinstance(ignore, list) else [],
    )
    current_weekly, max_weekly = streaks(
        week_totals, current=this_week, step=7, goal=_int(goals.get("weekly_goal"))
    )
    return Stats(
        days=[_bucket(days, today - timedelta(days=n), 1) for n in range(DAYS_SHOWN)],
        weeks=[_bucket(days, this_week - timedelta(weeks=n), 7) for n in range(WEEKS_SHOWN)],
        completed=sum(day_totals.values()),
        current_daily=current_daily,
        max_daily=max_daily,
        current_weekly=current_weekly,
        max_weekly=max_weekly,
    )


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
