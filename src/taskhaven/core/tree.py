"""The two descriptions of one tree, as pure functions over what a query listed.

The Sync API's flat tree is a list in ``item_order`` in which a row's descendants are the
rows right after it with a deeper ``indent`` (projects and items alike). V2 links each
sub-task to its parent (``parent_id``). ``core/hierarchy.py`` keeps the two in step for
items; these functions are the one place each reading of the tree is written.
"""

from __future__ import annotations

from collections.abc import Iterable

# (id, indent) in list order
Listing = Iterable[tuple[int, int]]


def indented_block(listing: Listing, root: int) -> list[int]:
    """``root`` and the rows right after it with a deeper indent, in list order; empty
    when ``root`` is not listed."""
    block: list[int] = []
    base: int | None = None
    for row_id, indent in listing:
        if base is not None:
            if indent <= base:
                break
            block.append(row_id)
        elif row_id == root:
            base = indent
            block.append(row_id)
    return block


def parents_by_indent(listing: Listing) -> dict[int, int | None]:
    """Each row's parent in the flat tree: the nearest row above it with a smaller indent."""
    parents: dict[int, int | None] = {}
    above: list[tuple[int, int]] = []  # (indent, id) of the open ancestors
    for row_id, indent in listing:
        while above and above[-1][0] >= indent:
            above.pop()
        parents[row_id] = above[-1][1] if above else None
        above.append((indent, row_id))
    return parents


def linked_descendants(links: Iterable[tuple[int, int | None]], root: int) -> set[int]:
    """``root`` and every row below it by (id, parent id) links; a corrupt cycle ends."""
    below: dict[int, list[int]] = {}
    for row_id, parent in links:
        if parent is not None:
            below.setdefault(parent, []).append(row_id)
    found = {root}
    stack = [root]
    while stack:
        for child in below.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found
