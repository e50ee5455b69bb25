"""SDK tests run with no ``TASKHAVEN_SDK_*`` variable of the environment leaking in."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def clean_sdk_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.upper().startswith("TASKHAVEN_SDK_"):
            monkeypatch.delenv(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # every expected warning is asserted
        yield
