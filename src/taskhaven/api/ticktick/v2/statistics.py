"""``GET statistics/general``: the core's completion counts in TickTick's shape.

The score is one point per completed task (the total); the level follows from the score
(LEVELS). No pomodoro timer on this server: its fields are zero and empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from taskhaven.core import statistics

# Score needed for each level: level n needs LEVELS[n - 1] points.
LEVELS = (0, 10, 50, 150, 300, 600, 1000, 1500, 2200, 3000, 4000, 5500)


def level_for(score: int) -> int:
    return sum(1 for needed in LEVELS if score >= needed)


def _counts(buckets: Mapping[Any, statistics.Count]) -> dict[str, dict[str, int]]:
    return {
        day.strftime("%Y%m%d"): {
            "completeCount": count.completed,
            "notCompleteCount": count.not_completed,
        }
        for day, count in buckets.items()
    }


def answer(counts: statistics.Counts) -> dict[str, Any]:
    # No pomodoro timer on this server: its fields are zero and empty.
    return {
        "score": counts.total,
        "level": level_for(counts.total),
        "yesterdayCompleted": counts.yesterday,
        "todayCompleted": counts.today,
        "totalCompleted": counts.total,
        "scoreByDay": {day.strftime("%Y%m%d"): n for day, n in counts.total_by_day.items()},
        "taskByDay": _counts(counts.by_day),
        "taskByWeek": _counts(counts.by_week),
        "taskByMonth": _counts(counts.by_month),
        "todayPomoCount": 0,
        "yesterdayPomoCount": 0,
        "totalPomoCount": 0,
        "todayPomoDuration": 0,
        "yesterdayPomoDuration": 0,
        "totalPomoDuration": 0,
        "pomoGoal": 0,
        "pomoDurationGoal": 0,
        "pomoByDay": {},
        "pomoByWeek": {},
        "pomoByMonth": {},
    }
