"""Is this process ready to serve: the database answers and its schema is this code's."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from taskhaven.core.backend import Backend
from taskhaven.store import migrate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Readiness:
    """``problems`` names each thing that is wrong (empty: ready)."""

    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return not self.problems


def readiness(backend: Backend) -> Readiness:
    """One read transaction: the database's Alembic revision against the code's head.

    A database that is behind (or ahead of) the code answers "not ready": requests would
    meet a schema they were not written for.
    """
    try:
        with backend.read() as conn:
            current = migrate.current_revisions(conn)
    except SQLAlchemyError as exc:
        # The class only: the message may name hosts or paths, and probes repeat often.
        log.warning("readiness: database unreachable (%s)", type(exc).__name__)
        return Readiness({"database": "unreachable"})
    head = migrate.head_revisions()
    if current != head:
        found = ",".join(sorted(current)) or "none"
        wanted = ",".join(sorted(head))
        return Readiness({"migrations": f"database at {found}, code at {wanted}"})
    return Readiness()
