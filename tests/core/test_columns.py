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


def test_refused_looks_everywhere_for_nul_and_lone_surrogates() -> None:
    assert columns.refused({"a": [1, {"b\x00": 2}]})
    assert columns.refused(["ok", ("x\x00",)])
    assert columns.refused({"a": "\ud800"}) and columns.refused(["\udfff"])
    assert not columns.refused({"a": ["b", 1, None, 2.5, "\U0001f600"]})


def test_problem_bounds_every_string_inside_a_value() -> None:
    bound = columns.Bound(3, "test")
    assert columns.problem("abc", bound) is None
    assert columns.problem("abcd", bound) == "longer than 3 characters"
    assert columns.problem({"abcd": 1}, bound) == "longer than 3 characters"
    assert columns.problem([["ok", "a\x00"]], bound) == "contains NUL or an unpaired surrogate"
    assert columns.problem(10**40, bound) is None  # numbers are their readers' to judge


def test_every_text_column_has_a_documented_maximum_or_is_the_servers() -> None:
    from sqlalchemy import Text

    for table in metadata.sorted_tables:
        for column in table.columns:
            key = (table.name, column.name)
            if isinstance(column.type, Text):
                assert (key in columns.lengths()) != (key in columns.NOT_FROM_WIRE), key
