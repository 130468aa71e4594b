"""A real headless browser for the tests that need one: Debian's chromium through the system
chromedriver, driven by Selenium; nothing is downloaded.

Without chromium or chromedriver (or a font a test needs) the test is skipped, unless
`REQUIRE_BROWSER=1` or `CI` is set: there a missing browser fails instead of passing quietly.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

DRIVER = "/usr/bin/chromedriver"


def require(found: bool, reason: str) -> None:
    """Skip without `found`, or fail where a browser is required (CI)."""
    if found:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
        pytest.fail(f"{reason}, and REQUIRE_BROWSER/CI is set")
    pytest.skip(reason)


@contextmanager
def chrome(*, width: int, height: int) -> Iterator[Any]:
    """A headless chromium with a `width` x `height` window, quit on leaving."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    reason = "chromium and chromium-driver are not installed (apt-get install -y ...)"
    require(binary is not None and Path(DRIVER).exists(), reason)
    options = webdriver.ChromeOptions()
    options.binary_location = str(binary)
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def shots_folder(default: Path) -> Path:
    """Where screenshots go: `CONSOLE_SHOTS` if set (kept), else `default` (made here)."""
    folder = Path(os.environ.get("CONSOLE_SHOTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def whole_page(browser: Any, width: int, path: Path) -> None:
    """A screenshot of the whole page drawn `width` CSS pixels wide (a phone below 500)."""
    metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 500}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": height})
    browser.save_screenshot(str(path))


def scrolls_sideways(browser: Any) -> bool:
    """Whether the page itself is wider than the window (a table may scroll in its box)."""
    return bool(
        browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    )


def wait_drawn(browser: Any, *, seconds: float = 30) -> None:
    """Wait until the page is whole: loaded, its `main` there and every image in.

    Under load chromedriver may hand back an empty document for a moment after a navigation
    (a `get` returned, a click's old page gone): waiting for the page's own end, not for the
    navigation, is what makes the next assertion see the new page."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def drawn(driver: Any) -> bool:
        try:
            return bool(
                driver.execute_script(
                    "return document.readyState === 'complete' && "
                    "document.querySelector('main') !== null && "
                    "Array.from(document.images).every(i => i.complete)"
                )
            )
        except WebDriverException:
            return False

    WebDriverWait(browser, seconds).until(drawn)


def visit(browser: Any, url: str) -> None:
    """Open `url` and wait until it is drawn."""
    browser.get(url)
    wait_drawn(browser)
