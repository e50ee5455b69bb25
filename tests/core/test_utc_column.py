"""store.schema.UTCDateTime: moments come back aware in UTC, stored as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from taskhaven.core.backend import Backend
from taskhaven.store.schema import UTCDateTime

MOMENT = datetime(2024, 3, 1, 12, 30, 5, 123456, tzinfo=UTC)
ATHENS = timezone(timedelta(hours=2))


@pytest.fixture
def probe(backend: Backend) -> Iterator[Table]:
    table = Table("utc_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", UTCDateTime()))  # fmt: skip
    with backend.engine.begin() as conn:
        table.create(conn)
    yield table
    with backend.engine.begin() as conn:
        table.drop(conn)


@pytest.mark.parametrize(
    "written", [MOMENT, MOMENT.astimezone(ATHENS), MOMENT.replace(tzinfo=None)]
)
def test_every_moment_reads_back_aware_in_utc(
    backend: Backend, probe: Table, written: datetime
) -> None:
    with backend.engine.begin() as conn:
        conn.execute(insert(probe).values(id=1, at=written))
        read = conn.execute(select(probe.c.at)).scalar_one()
        assert read == MOMENT and read.utcoffset() == timedelta(0)
        # Comparisons bind in UTC too, whatever zone the value is in.
        found = select(probe.c.id).where(probe.c.at == MOMENT.astimezone(ATHENS))
        assert conn.execute(found).scalar_one() == 1
        if conn.dialect.name == "sqlite":
            # The text DateTime(timezone=True) always wrote for UTC: no migration.
            raw = conn.execute(text("SELECT at FROM utc_probe")).scalar_one()
            assert raw == "2024-03-01 12:30:05.123456"


def test_null_stays_null(backend: Backend, probe: Table) -> None:
    with backend.engine.begin() as conn:
        conn.execute(insert(probe).values(id=1, at=None))
        assert conn.execute(select(probe.c.at)).scalar_one() is None
