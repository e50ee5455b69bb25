"""Completion statistics of one user, counted in the user's own time zone.

Days are the user's local calendar days; weeks start on the user's ``start_day`` (1 = Monday
… 7 = Sunday). Two readings of the same history, each protocol rendering its own shape:

- ``progress``: completions per project in the recent days and weeks, and the streaks of
  days (weeks) whose completions reached the user's goals. A completion here is every
  completion still on record (``completed.moments``, recurring occurrences included). The
  day (week) still in progress never breaks a streak, and an ignored weekday breaks none
  either (completions on it still count). A goal of 0 turns its streaks off.
- ``counts``: completed and still-open tasks per recent day, week and month, the total, and
  the running total at the end of each recent day. A task counts as completed when it
  ``is_completed`` (core/status.py) and is not deleted; "won't do" is not a completion.
  Open tasks count as not completed on the local day (week, month) they are due.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, RowMapping, and_, func, select

from taskhaven.core import completed, zones
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.status import is_completed, is_open
from taskhaven.store.schema import items

DAYS = 7  # today and the six days before
WEEKS = 4  # this week and the three before
MONTHS = 3  # this month and the two before


def week_start(day: date, start_day: int = 1) -> date:
    """First day of the week holding ``day``; ``start_day`` 1 = Monday … 7 = Sunday."""
    return day - timedelta(days=(day.isoweekday() - start_day) % 7)


def _month_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


# --------------------------------------------------------------------------------------------
# Progress: completions per project, and streaks towards the goals
# --------------------------------------------------------------------------------------------


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
class Progress:
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


def progress(
    conn: Connection,
    user_id: int,
    *,
    tz: ZoneInfo,
    now: datetime,
    start_day: int,
    goals: Mapping[str, object],
) -> Progress:
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
    return Progress(
        days=[_bucket(days, today - timedelta(days=n), 1) for n in range(DAYS)],
        weeks=[_bucket(days, this_week - timedelta(weeks=n), 7) for n in range(WEEKS)],
        completed=sum(day_totals.values()),
        current_daily=current_daily,
        max_daily=max_daily,
        current_weekly=current_weekly,
        max_weekly=max_weekly,
    )


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# --------------------------------------------------------------------------------------------
# Counts: completed and open tasks per day, week and month
# --------------------------------------------------------------------------------------------


@dataclass
class Count:
    completed: int = 0
    not_completed: int = 0


@dataclass
class Counts:
    today: int
    yesterday: int
    total: int
    total_by_day: dict[date, int] = field(default_factory=dict)  # the total at each day's end
    by_day: dict[date, Count] = field(default_factory=dict)
    by_week: dict[date, Count] = field(default_factory=dict)
    by_month: dict[date, Count] = field(default_factory=dict)


def _zone(name: str | None) -> ZoneInfo:
    return zones.zone_or_utc(name)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def counts(backend: Backend, user: RowMapping, *, now: datetime | None = None) -> Counts:
    """Counts for the last DAYS days, WEEKS weeks and MONTHS months, every bucket listed."""
    zone = _zone(user["timezone"])
    today = (now or utcnow()).astimezone(zone).date()
    start_day = int({**(user["prefs"] or {})}.get("start_day", 1) or 1)
    days = [today - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    this_week = week_start(today, start_day)
    weeks = [this_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    this_month = today.replace(day=1)
    months = [_month_back(this_month, n) for n in range(MONTHS - 1, -1, -1)]
    first = min(days[0], weeks[0], months[0])
    # One day of slack either side: the query bounds are UTC, the buckets local.
    since = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)

    mine = and_(items.c.user_id == user["id"], items.c.is_deleted.is_(False))
    done = and_(mine, is_completed(items.c.status, items.c.completed_at))
    with backend.read() as conn:
        total = int(conn.execute(select(func.count()).select_from(items).where(done)).scalar_one())
        completed_at = conn.execute(
            select(items.c.completed_at).where(done, items.c.completed_at >= since)
        ).scalars()
        completed_days = [_local_day(moment, zone) for moment in completed_at]
        due = conn.execute(
            select(items.c.due_at).where(
                mine,
                is_open(items.c.status),
                items.c.is_archived.is_(False),
                items.c.due_at.is_not(None),
                items.c.due_at >= since,
            )
        ).scalars()
        due_days = [_local_day(moment, zone) for moment in due]

    by_day = {day: Count() for day in days}
    by_week = {week: Count() for week in weeks}
    by_month = {month: Count() for month in months}
    for buckets, key in (
        (by_day, lambda d: d),
        (by_week, lambda d: week_start(d, start_day)),
        (by_month, lambda d: d.replace(day=1)),
    ):
        for day in completed_days:
            if (bucket := buckets.get(key(day))) is not None:
                bucket.completed += 1
        for day in due_days:
            if (bucket := buckets.get(key(day))) is not None:
                bucket.not_completed += 1

    # The total at each day's end: today's total minus what was completed after that day.
    total_by_day: dict[date, int] = {}
    later = sum(1 for day in completed_days if day > today)
    for day in reversed(days):
        total_by_day[day] = total - later
        later += by_day[day].completed
    yesterday = today - timedelta(days=1)
    return Counts(
        today=by_day[today].completed,
        yesterday=by_day[yesterday].completed,
        total=total,
        total_by_day=dict(sorted(total_by_day.items())),
        by_day=by_day,
        by_week=by_week,
        by_month=by_month,
    )
