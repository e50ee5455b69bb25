"""The SDK's API reference as Markdown, generated from its docstrings and signatures.

``python -m taskhaven.sdk._reference > docs/sdk-reference.md``; a test fails when the file
is not what this produces, so the reference cannot drift from the code.
"""

from __future__ import annotations

import inspect
import re
from types import ModuleType
from typing import Any

from pydantic import BaseModel

import taskhaven.sdk
from taskhaven.sdk import commands
from taskhaven.sdk.models import oauth, sync, user, v1, v2

SECTIONS: list[tuple[str, list[str]]] = [
    ("Settings and sign-on", ["Settings", "TokenV1", "V2XDevice", "OAuthTokenV1", "OAuthTokenSync",
                              "UserSignOnV2", "UserSignOnWithTOTPV2"]),
    ("Clients", ["SyncClient", "AsyncSyncClient", "V1Client", "AsyncV1Client", "V2Client",
                 "AsyncV2Client", "RetryPolicy", "NO_RETRY", "MAX_COMMANDS"]),
    ("Offline sync", ["OfflineSync"]),
    ("Saved tokens", ["TokenStore", "FileTokenStore", "KeyringTokenStore"]),
    ("Sync API commands", ["Command", "SyncResponse"]),
    ("Errors", ["TaskhavenError", "TransportError", "ResponseValidationError",
                "TOTPRequiredError", "OAuthError", "APIError", "BadRequestError",
                "AuthenticationError", "PermissionDeniedError", "NotFoundError", "ConflictError",
                "PayloadTooLargeError", "RateLimitError", "ServerError", "CommandError"]),
]  # fmt: skip
MODEL_MODULES: list[ModuleType] = [sync, v2, v1, user, oauth]


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__) if obj.__doc__ else ""


def _summary(obj: Any) -> str:
    """The docstring's first paragraph on one line."""
    return " ".join(_doc(obj).split("\n\n")[0].split())


def _signature(obj: Any) -> str:
    try:
        return str(inspect.signature(obj)).replace("'", "")
    except (TypeError, ValueError):
        return "(…)"


def _type_name(annotation: Any) -> str:
    text = str(annotation).replace("<class '", "").replace("'>", "")
    return re.sub(r"\b(?:[a-z_][\w]*\.)+(\w)", r"\1", text).replace("|", "\\|")


def _fields(model: type[BaseModel]) -> list[str]:
    lines = ["| field | wire name | type | default |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        wire = field.alias or name
        annotation = _type_name(field.annotation)
        if field.is_required():
            default = "required"
        elif field.default_factory is not None:
            default = "generated"
        else:
            default = f"`{field.default!r}`"
        lines.append(f"| `{name}` | `{wire}` | {annotation} | {default} |")
    return lines


def _members(cls: type) -> list[str]:
    lines: list[str] = []
    for name, member in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        target = member.__func__ if isinstance(member, classmethod | staticmethod) else member
        if isinstance(member, property):
            summary = _summary(member)
            lines.append(f"- `{name}` (property) — {summary}".rstrip(" —"))
        elif inspect.isfunction(target):
            summary = _summary(target)
            prefix = "async " if inspect.iscoroutinefunction(target) else ""
            lines.append(f"- `{prefix}{name}{_signature(target)}` — {summary}".rstrip(" —"))
    return lines


def _entry(name: str, obj: Any) -> list[str]:
    lines = [f"### `{name}`", ""]
    if isinstance(obj, type):
        bases = ", ".join(b.__name__ for b in obj.__bases__ if b is not object)
        lines += [f"class `{name}({bases})`", ""]
        if _doc(obj):
            lines += [_doc(obj), ""]
        if issubclass(obj, BaseModel) and obj.model_fields and not issubclass(obj, Exception):
            lines += [*_fields(obj), ""]
        members = _members(obj)
        if members:
            lines += [*members, ""]
    else:
        lines += [f"`{name} = {obj!r}`", ""]
    return lines


def render() -> str:
    lines = [
        "# SDK API reference",
        "",
        "Generated from the docstrings by `python -m taskhaven.sdk._reference`; do not edit.",
        "The tutorial and the design notes are in [sdk.md](sdk.md).",
        "",
    ]
    for title, names in SECTIONS:
        lines += [f"## {title}", ""]
        for name in names:
            lines += _entry(name, getattr(taskhaven.sdk, name))
    lines += ["## Command builders (`taskhaven.sdk.commands`)", "", _doc(commands), ""]
    for name, function in sorted(vars(commands).items()):
        public = inspect.isfunction(function) and not name.startswith("_")
        if public and function.__module__ == commands.__name__:
            summary = _summary(function)
            lines.append(f"- `{name}{_signature(function)}` — {summary}".rstrip(" —"))
    lines.append("")
    for module in MODEL_MODULES:
        lines += [f"## Models: `{module.__name__}`", "", _doc(module), ""]
        for name, cls in vars(module).items():
            if (
                isinstance(cls, type)
                and issubclass(cls, BaseModel)
                and cls.__module__ == module.__name__
                and not name.startswith("_")
            ):
                lines += _entry(name, cls)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
