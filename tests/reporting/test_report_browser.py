"""The HTML report in a real headless browser (issue 19; Debian's chromium through Selenium,
`support.browser`). A quiet month with one busy day, read from SQLite, shows its daily table
as three rows, in the console's look, with 👍 drawn in colour (not as a box), and fits a
phone's width. Whole-page screenshots at a laptop's and a
phone's width go to the test's temporary folder (printed; `CONSOLE_SHOTS=DIR` keeps them in
DIR, beside the console's).

Skipped without chromium or chromedriver, and the emoji check without Debian's
fonts-noto-color-emoji, unless `REQUIRE_BROWSER=1` or `CI` is set."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.browser import chrome, require, scrolls_sideways, shots_folder, whole_page

from bot.reporting.output import write_report
from bot.storage import Store, open_database

from .helpers import month_report, quiet_month

EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
LAPTOP, PHONE = 1280, 390
CONSOLE_BLUE = "rgba(22, 66, 107, 1)"  # the console's header, #16426b


async def quiet_page(folder: Path) -> Path:
    """The HTML report of November 2026 with questions on the 15th only, from SQLite."""
    engine = await open_database(f"sqlite+aiosqlite:///{folder / 'tanya.db'}")
    try:
        await quiet_month(Store(engine))
        report = await month_report(engine)
    finally:
        await engine.dispose()
    return write_report(report, folder / "laporan", "html")[0]


@pytest.fixture
def browser() -> Iterator[Any]:
    with chrome(width=LAPTOP, height=800) as driver:
        yield driver


@pytest.fixture
def page(tmp_path: Path) -> Path:
    return asyncio.run(quiet_page(tmp_path))


def coloured_pixels(png: bytes) -> int:
    """Pixels far from grey: a colour emoji has many, a missing glyph's box none."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(image.width * image.height) or []
    return sum(n for n, (r, g, b) in colours if max(r, g, b) - min(r, g, b) > 80)


def test_a_quiet_month_in_a_real_browser(browser: Any, page: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    shots = shots_folder(tmp_path / "layar")
    browser.get(page.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#harian tbody tr")
    assert [row.text for row in rows] == [
        "1–14 Nov tidak ada pertanyaan (14 hari)",
        "Min 15 Nov 5 3 (60%) 1 (20%) 1 (20%) 0 (0%)",
        "16–30 Nov tidak ada pertanyaan (15 hari)",
    ]
    assert [row.get_attribute("class") for row in rows] == ["quiet", "", "quiet"]
    note = rows[0].find_elements(By.TAG_NAME, "td")[1]
    table = browser.find_element(By.CSS_SELECTOR, "#harian table")
    assert note.rect["width"] > table.rect["width"] / 2  # it spans the five number columns
    header = browser.find_element(By.TAG_NAME, "header")
    assert header.value_of_css_property("background-color") == CONSOLE_BLUE
    whole_page(browser, LAPTOP, shots / "laporan-laptop.png")
    whole_page(browser, PHONE, shots / "laporan-ponsel.png")
    assert not scrolls_sideways(browser)  # on a phone wide tables and charts scroll in a box
    print(f"screenshots: {shots}")


def test_thumbs_are_drawn_in_colour_not_as_boxes(browser: Any, page: Path) -> None:
    from selenium.webdriver.common.by import By

    require(EMOJI_FONT.exists(), "fonts-noto-color-emoji is not installed")
    browser.get(page.as_uri())
    cells = browser.find_elements(By.CSS_SELECTOR, "#entri th")
    [thumb] = [cell for cell in cells if cell.text == "👍"]
    browser.execute_script("arguments[0].scrollIntoView()", thumb)
    assert coloured_pixels(thumb.screenshot_as_png) > 20
    # A header without emoji has no colour at all: the count above is the emoji's.
    [plain] = [cell for cell in cells if cell.text == "Dijawab"]
    assert coloured_pixels(plain.screenshot_as_png) == 0
