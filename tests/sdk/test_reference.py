"""The SDK's docs police themselves: the reference is generated, the guide names every client."""

from __future__ import annotations

from pathlib import Path

import taskhaven.sdk
from taskhaven.sdk import _reference

DOCS = Path(__file__).parent.parent.parent / "docs"


def test_the_reference_is_what_the_docstrings_say() -> None:
    current = (DOCS / "sdk-reference.md").read_text()
    assert current == _reference.render(), (
        "docs/sdk-reference.md is stale: "
        "PYTHONPATH=src python -m taskhaven.sdk._reference > docs/sdk-reference.md"
    )


def test_every_public_name_is_in_the_reference() -> None:
    listed = {name for _, names in _reference.SECTIONS for name in names}
    assert listed == set(taskhaven.sdk.__all__) - {"commands"}


def test_the_guide_shows_every_client_and_setting() -> None:
    guide = (DOCS / "sdk.md").read_text()
    for name in ("SyncClient", "V1Client", "V2Client", "OfflineSync", "FileTokenStore"):
        assert f"`{name}" in guide, name
    for field in taskhaven.sdk.Settings.model_fields:
        assert f"`TASKHAVEN_SDK_{field.upper()}" in guide, field
