"""A page in Debian's chromium through playwright (no browser download), for the report tests."""
from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def browser_page():
    """A page in Debian's chromium (no browser download), recording every request it makes."""
    from contextlib import contextmanager

    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: run scripts/setup.sh")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def opened():
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                yield page, requests
                assert not errors, errors
            finally:
                browser.close()
    return opened()
