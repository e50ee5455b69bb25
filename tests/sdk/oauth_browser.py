"""A "browser" for the OAuth tests: an HTTP client that signs in on the authorize page,
allows, and follows the redirect to the SDK's loopback listener."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx

from tests.oauth import flow


def browser_for(
    email: str, errors: list[BaseException], totp: str | None = None
) -> Callable[[str], bool]:
    def open_browser(url: str) -> bool:
        def run() -> None:
            try:
                with httpx.Client() as browser:
                    page = flow.sign_in(browser, url, email, totp=totp)
                    answer = flow.consent(browser, url, page, "allow")
                    assert answer.status_code in (302, 303), answer.text
                    httpx.get(answer.headers["location"], timeout=10)  # the loopback listener
            except BaseException as exc:  # reported by the test, not lost in the thread
                errors.append(exc)

        threading.Thread(target=run, daemon=True).start()
        return True

    return open_browser
