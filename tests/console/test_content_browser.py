"""Konten in a real headless browser (issue 20): Debian's chromium through the system
chromedriver, `serve` as a child process with Instagram on the fake Graph API (served from a
thread of this process) and `PUBLIC_BASE_URL` at itself, so publishing is on. Log in, make
the week's kit, open a post, change a heading, see the slide drawn again, approve it for
tomorrow and see it scheduled (and not published: its time has not come). The review page is
shot whole at a phone's and a laptop's width into `konten/` of the screenshot folder
(`CONSOLE_SHOTS=DIR` keeps them in DIR), as are the Konten page before and after.

Skipped without chromium or chromedriver, unless `REQUIRE_BROWSER=1` or `CI` is set."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakes.instagram_api import FakeInstagram
from instagram.harness import instagram_env
from support.browser import chrome, scrolls_sideways, shots_folder, wait_drawn, whole_page
from support.serve_process import environment, run_bot, serving

from bot.storage import open_database

from .content_helpers import seed_week
from .helpers import ROOT

PASSWORD = "sandi-uji-peramban"
HEADING = "Tarif resmi paspor terbaru"
WIDTHS = {"hp": 390, "laptop": 1280}
WIB = ZoneInfo("Asia/Jakarta")  # the office's zone: OFFICE_TIMEZONE's default


@pytest.fixture
def graph() -> Iterator[FakeInstagram]:
    """The fake Graph API in a thread of its own: the test itself is not async."""
    fake = FakeInstagram()
    fake.start_in_thread()
    try:
        yield fake
    finally:
        fake.stop_thread()


@pytest.fixture
def served(tmp_path: Path, reserve_port: Callable[[], int], graph: FakeInstagram) -> Iterator[str]:
    """`serve` publishing to `graph`, with one admin and a week of questions."""
    shutil.copy(ROOT / "faq.yaml", tmp_path / "faq.yaml")
    port = reserve_port()
    base = f"http://127.0.0.1:{port}"
    extra = {
        **instagram_env(graph),
        "FAQ_PATH": str(tmp_path / "faq.yaml"),
        "PUBLIC_BASE_URL": base,
        "USER_HASH_SALT": "garam-uji",
    }
    env = environment(tmp_path / "data", extra)
    run_bot(env, "admin", "add", "kepala", "--password-stdin", stdin=PASSWORD + "\n")
    asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"))
    with serving(env, port, tmp_path / "serve.log"):
        yield base


async def _seed(url: str) -> None:
    engine = await open_database(url)
    try:
        await seed_week(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def browser() -> Iterator[object]:
    with chrome(width=WIDTHS["hp"], height=844) as driver:
        yield driver


class Walk:
    """The browser on the console: open pages, press buttons, type, take screenshots."""

    def __init__(self, browser: object, base: str, shots: Path) -> None:
        from selenium.webdriver.remote.webdriver import WebDriver

        assert isinstance(browser, WebDriver)
        self.browser, self.base, self.shots = browser, base, shots

    def open(self, path: str) -> None:
        self.browser.get(f"{self.base}{path}")
        self._drawn()

    def click(self, text: str, *, link: bool = False) -> None:
        """Press a button (or follow a link) and wait for the page it leads to."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.expected_conditions import staleness_of
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.browser.find_element(By.TAG_NAME, "html")
        kind = "a" if link else "button"
        self.browser.find_element(By.XPATH, f"//{kind}[normalize-space()='{text}']").click()
        WebDriverWait(self.browser, 30, ignored_exceptions=[WebDriverException]).until(
            staleness_of(old)
        )
        self._drawn()

    def _drawn(self) -> None:
        wait_drawn(self.browser)

    def set(self, name: str, value: str) -> None:
        """Fill a field as a person would (a date or time input: its value, set directly,
        since what a key press means there depends on the browser's locale)."""
        from selenium.webdriver.common.by import By

        found = self.browser.find_element(By.NAME, name)
        if found.get_attribute("type") in ("date", "time"):
            self.browser.execute_script("arguments[0].value = arguments[1]", found, value)
            return
        found.clear()
        found.send_keys(value)

    def shot(self, name: str, *widths: str) -> None:
        """The whole page at each width (a phone's unless told)."""
        for label in widths or ("hp",):
            whole_page(self.browser, WIDTHS[label], self.shots / f"{name}-{label}.png")
            if label == "hp":
                assert not scrolls_sideways(self.browser), name
        self.browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def image(self, number: int) -> bytes:
        """The JPEG the page shows as its `number`th image."""
        from selenium.webdriver.common.by import By

        source = self.browser.find_elements(By.TAG_NAME, "img")[number - 1].get_attribute("src")
        assert source is not None
        return base64.b64decode(source.partition(",")[2])

    @property
    def source(self) -> str:
        return str(self.browser.page_source)


def test_make_the_kit_edit_a_heading_and_approve_a_post_for_tomorrow(
    served: str, browser: object, graph: FakeInstagram, tmp_path: Path
) -> None:
    shots = shots_folder(tmp_path / "layar") / "konten"
    shots.mkdir(exist_ok=True)
    walk = Walk(browser, served, shots)
    walk.open("/admin/konten")
    assert walk.browser.current_url.endswith("/admin/login")
    walk.set("username", "kepala")
    walk.set("password", PASSWORD)
    walk.click("Masuk")
    walk.open("/admin/konten")
    assert "Penerbitan ke Instagram aktif" in walk.source
    assert "Belum ada konten minggu ini." in walk.source
    walk.click("Buat konten minggu ini")
    assert "Konten minggu ini dibuat." in walk.source
    assert "Biaya paspor" in walk.source
    walk.shot("1-konten-dibuat", "hp", "laptop")

    walk.click("Tinjau", link=True)
    assert "Tinjau: Biaya paspor" in walk.browser.title
    before = walk.image(2)
    walk.set("slide-2-judul", HEADING)
    walk.click("Simpan dan gambar ulang")
    assert "Tersimpan; gambar dibuat ulang" in walk.source
    assert walk.image(2) != before
    walk.shot("2-tinjau", "hp", "laptop")

    tomorrow = dt.datetime.now(WIB).date() + dt.timedelta(days=1)
    walk.set("tanggal", tomorrow.isoformat())
    walk.set("jam", "10:30")
    walk.click("Setujui dan jadwalkan")
    assert "Disetujui dan dijadwalkan." in walk.source
    assert f"jadwal {tomorrow.strftime('%d-%m-%Y')} 10:30 WIB" in walk.source
    walk.shot("3-dijadwalkan")
    walk.open("/admin/konten")
    assert "Terjadwal" in walk.source
    assert "Batalkan" in walk.source
    walk.shot("4-konten-terjadwal", "hp", "laptop")
    walk.open("/admin/audit")
    for action in ("buat-konten", "ubah-konten", "setujui-konten"):
        assert action in walk.source
    assert graph.publishing.publishes == []  # tomorrow's post is not out yet
    print(f"screenshots: {shots}")
    assert len(list(shots.glob("*.png"))) == 7
