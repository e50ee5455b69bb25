"""Completion statistics of one user, counted from their tasks, in their own time zone.

A task counts as completed when it is closed as done (``status`` 1 or 2) with a completion
time, and is not deleted; "won't do" (``status`` -1) is not a completion. Open tasks
(``status`` 0) count as not completed on the local day (week, month) they are due.
The score is one point per completed task; the level follows from the score (LEVELS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import RowMapping, and_, func, select

from taskhaven.core.backend import Backend, utcnow
from taskhaven.store.schema import items

DAYS = 7  # today and the six days before
WEEKS = 4  # this week and the three before
MONTHS = 3  # this month and the two before
# Score needed for each level: level n needs LEVELS[n - 1] points.
LEVELS = (0, 10, 50, 150, 300, 600, 1000, 1500, 2200, 3000, 4000, 5500)
DONE = (1, 2)


@dataclass
class Count:
    completed: int = 0
    not_completed: int = 0


@dataclass
class Statistics:
    score: int
    level: int
    today: int
    yesterday: int
    total: int
    score_by_day: dict[date, int] = field(default_factory=dict)
    by_day: dict[date, Count] = field(default_factory=dict)
    by_week: dict[date, Count] = field(default_factory=dict)
    by_month: dict[date, Count] = field(default_factory=dict)


def level_for(score: int) -> int:
    return sum(1 for needed in LEVELS if score >= needed)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


def week_start(day: date, start_day: int = 1) -> date:
    """First day of the week holding ``day``; ``start_day`` 1 = Monday … 7 = Sunday."""
    return day - timedelta(days=(day.isoweekday() - start_day) % 7)


def _month_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def compute(backend: Backend, user: RowMapping, *, now: datetime | None = None) -> Statistics:
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
    done = and_(mine, items.c.status.in_(DONE), items.c.completed_at.is_not(None))
    with backend.read() as conn:
        total = int(conn.execute(select(func.count()).select_from(items).where(done)).scalar_one())
        completed = conn.execute(
            select(items.c.completed_at).where(done, items.c.completed_at >= since)
        ).scalars()
        completed_days = [_local_day(moment, zone) for moment in completed]
        due = conn.execute(
            select(items.c.due_at).where(
                mine,
                items.c.status == 0,
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

    # The score on each day is the total at that day's end: today's total minus what was
    # completed after it.
    score_by_day: dict[date, int] = {}
    later = sum(1 for day in completed_days if day > today)
    for day in reversed(days):
        score_by_day[day] = total - later
        later += by_day[day].completed
    yesterday = today - timedelta(days=1)
    return Statistics(
        score=total,
        level=level_for(total),
        today=by_day[today].completed,
        yesterday=by_day[yesterday].completed,
        total=total,
        score_by_day=dict(sorted(score_by_day.items())),
        by_day=by_day,
        by_week=by_week,
        by_month=by_month,
    )
