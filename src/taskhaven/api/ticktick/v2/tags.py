"""Tags: ``POST batch/tag``, ``PUT tag/rename`` and ``DELETE tag?name=``.

A tag is a core label. Its V2 ``name`` is its label lowercased (Sync API label names that
tags cannot hold are shown sanitised, see api.ticktick.codes). pyticktick 0.3.0 only accepts
etag-shaped values in a tag batch's ``id2error``, so no per-tag error can be reported: a
tag batch with any bad tag is refused as a whole with 400 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick import codes as mapping
from taskhaven.api.ticktick.v2.auth import current_user
from taskhaven.api.ticktick.v2.errors import V2Error
from taskhaven.api.ticktick.v2.http import endpoint, parse
from taskhaven.api.ticktick.v2.models import TagAdd, TagBatch, TagRename, TagUpdate
from taskhaven.core import labels
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import DomainError, NotFound


def _refused(exc: DomainError) -> V2Error:
    return V2Error(400, "invalid_parameter", f"Tag batch refused: {exc.message}")


def find(conn: Connection, user_id: int, name: str, *, raw: bool = False) -> RowMapping | None:
    """The live label a V2 client calls ``name`` (or, with ``raw``, whose rawName it is)."""
    for row in labels.live(conn, user_id):
        shown = mapping.tag_name_from_label_name(
            (row["raw_name"] or row["name"]) if raw else row["name"]
        )
        if shown == name:
            return row
    return None


def _parent(value: str | None) -> str | None:
    if value is None:
        return None
    return mapping.tag_name(mapping.check_tag_label(value, "parent"))


def _label(value: str | None) -> str:
    return mapping.check_tag_label(value, "label")


def _add(unit: Unit, spec: TagAdd) -> RowMapping:
    label = _label(spec.label)
    if find(unit.conn, unit.user_id, mapping.tag_name(label)) is not None:
        raise V2Error(400, "invalid_parameter", f"Tag already exists: {mapping.tag_name(label)}")
    return labels.add(
        unit,
        name=label,
        color=mapping.normalise_color(spec.color),
        item_order=spec.sort_order,
        parent=_parent(spec.parent),
        sort_type=spec.sort_type or "project",
    )


def _update(unit: Unit, spec: TagUpdate) -> RowMapping:
    """Looked up by ``rawName``, then by ``name``; colour and parent are replaced (null
    clears them), a null ``sortOrder`` keeps the stored one."""
    label = _label(spec.label)
    key = (spec.raw_name or label).lower()
    row = find(unit.conn, unit.user_id, key, raw=True) or find(unit.conn, unit.user_id, key)
    if row is None and spec.name is not None:
        row = find(unit.conn, unit.user_id, spec.name.lower())
    if row is None:
        raise V2Error(400, "invalid_parameter", f"No such tag: {key}")
    if row["name"] != label:
        row = labels.rename(unit, row["id"], label)
    changes: dict[str, Any] = {
        "color": mapping.normalise_color(spec.color),
        "parent": _parent(spec.parent),
        "sort_type": spec.sort_type or "project",
    }
    if spec.sort_order is not None:
        changes["item_order"] = spec.sort_order
    return labels.update_label(unit, row["id"], changes)


def batch_tag(backend: Backend, request: Request, body: Any) -> Any:
    user = current_user(backend, request)
    batch = parse(TagBatch, body)
    id2etag: dict[str, str] = {}
    try:
        with backend.write(user["id"]) as unit:
            written = [_add(unit, spec) for spec in batch.add or []]
            written += [_update(unit, spec) for spec in batch.update or []]
            for row in written:
                # Re-read: a later tag of the batch may have re-parented this one.
                fresh = labels.get(unit.conn, unit.user_id, row["id"])
                id2etag[mapping.tag_name_from_label_name(fresh["name"])] = mapping.etag(
                    fresh["seq"]
                )
    except DomainError as exc:
        raise _refused(exc) from exc
    return {"id2etag": id2etag, "id2error": {}}


def rename(backend: Backend, request: Request, body: Any) -> Any:
    """The label becomes ``newName``; ``rawName`` keeps the name the tag was created with;
    tasks refer to labels by id, so they carry the new name at once."""
    user = current_user(backend, request)
    spec = parse(TagRename, body)
    with backend.write(user["id"]) as unit:
        row = find(unit.conn, unit.user_id, spec.name.lower())
        if row is None:
            raise NotFound("tag")
        new = labels.rename(unit, row["id"], _label(spec.new_name))
        name = mapping.tag_name_from_label_name(new["name"])
        return {"id2etag": {name: mapping.etag(new["seq"])}, "id2error": {}}


def delete(backend: Backend, request: Request, _body: Any) -> Any:
    """Deleting a tag strips it from its tasks and un-parents its children. Deleting a
    tag that does not exist succeeds: a retried delete must not fail."""
    user = current_user(backend, request)
    name = request.query_params.get("name", "")
    if not name:
        raise V2Error(400, "invalid_parameter", "The query parameter name is required")
    with backend.write(user["id"]) as unit:
        row = find(unit.conn, unit.user_id, name.lower())
        if row is not None:
            labels.delete(unit, row["id"])
    return {}


def routes(prefix: str) -> list[BaseRoute]:
    return [
        Route(prefix + "/batch/tag", endpoint(batch_tag, body=True), methods=["POST"]),
        Route(prefix + "/tag/rename", endpoint(rename, body=True), methods=["PUT"]),
        Route(prefix + "/tag", endpoint(delete), methods=["DELETE"]),
    ]
