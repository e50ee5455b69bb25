"""core.columns: the schema's text sizes, the one source the protocols check against."""

from __future__ import annotations

import pytest
from sqlalchemy import String

from taskhaven.core import columns
from taskhaven.core.errors import InvalidArgument
from taskhaven.store.schema import metadata


def test_every_sized_string_column_is_known() -> None:
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and column.type.length:
                assert columns.length(table.name, column.name) == column.type.length


@pytest.mark.parametrize("value", ["x" * 9, "e\x00", 5, None])
def test_check_refuses_long_nul_and_non_text(value: object) -> None:
    with pytest.raises(InvalidArgument):
        columns.check(value, "users", "lang")


def test_has_nul_looks_everywhere() -> None:
    assert columns.refused({"a": [1, {"b\x00": 2}]})
    assert columns.refused(["ok", ("x\x00",)])
    assert not columns.refused({"a": ["b", 1, None, 2.5]})
