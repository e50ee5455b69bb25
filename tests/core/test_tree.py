"""core.tree: the flat tree (indents) and the linked tree (parents) describe one tree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taskhaven.core import tree
from taskhaven.core.limits import MAX_INDENT


@st.composite
def flat_trees(draw: st.DrawFn) -> list[tuple[int, int]]:
    """(id, indent) rows as a Sync API list holds them: each at most one deeper than the last."""
    size = draw(st.integers(min_value=0, max_value=30))
    rows: list[tuple[int, int]] = []
    previous = 0
    for row_id in range(1, size + 1):
        indent = draw(st.integers(min_value=1, max_value=min(previous + 1, MAX_INDENT)))
        rows.append((row_id * 10, indent))
        previous = indent
    return rows


@given(flat_trees())
def test_a_block_by_indent_is_the_subtree_by_parents(listing: list[tuple[int, int]]) -> None:
    parents = tree.parents_by_indent(listing)
    for row_id, _indent in listing:
        linked = tree.linked_descendants(parents.items(), row_id)
        block = tree.indented_block(listing, row_id)
        assert block[0] == row_id
        assert set(block) == linked
        assert block == [r for r, _ in listing if r in linked]  # in list order


def test_parents_by_indent() -> None:
    listing = [(1, 1), (2, 2), (3, 3), (4, 2), (5, 1), (6, 2)]
    assert tree.parents_by_indent(listing) == {1: None, 2: 1, 3: 2, 4: 1, 5: None, 6: 5}


def test_an_unlisted_root_has_no_block_and_a_cycle_ends() -> None:
    assert tree.indented_block([(1, 1), (2, 2)], 9) == []
    assert tree.linked_descendants([(1, 2), (2, 1), (3, 1)], 1) == {1, 2, 3}
