"""Siaran and Gangguan in a real headless browser (issue 19), with the fixtures of
`test_browser` (Debian's chromium, `serve` as a child process with no channel configured):
log in, preview and send an announcement (no channel runs, so it reaches nobody and the
sender's report says so), set the outage notice and see `python -m bot chat` (another process,
the real core) show it, clear it and see it gone. Every page is shot at a phone's and a
laptop's width, whole, into `siaran-gangguan/` of the screenshot folder (`CONSOLE_SHOTS=DIR`
keeps them in DIR)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from support.browser import wait_drawn
from support.serve_process import run_bot

from .test_browser import PASSWORD, browser, served

__all__ = ["browser", "served"]  # fixtures used by name below

TEXT = "Kuota antrean bulan depan dibuka Senin pukul 09.00 di M-Paspor."
OUTAGE = "Server M-Paspor sedang perbaikan sampai pukul 15.00."
FALLBACK = "zxqv qwrt plonk\n"  # an unanswerable message: the bot's fallback carries the notice
WIDTHS = {"hp": 390, "laptop": 1280}


def test_preview_send_announcement_set_and_clear_outage(
    served: tuple[str, dict[str, str]], browser: object, tmp_path: Path
) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    base, env = served
    shots = Path(os.environ.get("CONSOLE_SHOTS") or tmp_path / "layar") / "siaran-gangguan"
    shots.mkdir(parents=True, exist_ok=True)
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        """The whole page at each width (the window as tall as the page)."""
        number = next(step)
        for label, width in WIDTHS.items():
            browser.set_window_size(width, 800)
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(width, int(height) + 100)
            browser.save_screenshot(str(shots / f"{number:02d}-{name}-{label}.png"))
        browser.set_window_size(WIDTHS["hp"], 844)

    def click(text: str) -> None:
        """Press a button and wait for the page it leads to."""
        old = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.XPATH, f"//button[normalize-space()='{text}']").click()
        WebDriverWait(browser, 20, ignored_exceptions=[WebDriverException]).until(
            staleness_of(old)
        )
        wait_drawn(browser)

    def visit(path: str) -> None:
        browser.get(f"{base}{path}")
        wait_drawn(browser)

    def write(text: str) -> None:
        area = browser.find_element(By.NAME, "teks")
        area.clear()
        area.send_keys(text)

    def chat() -> str:
        return run_bot(env, "chat", stdin=FALLBACK)

    visit("/admin/siaran")
    assert browser.current_url.endswith("/admin/login")
    browser.find_element(By.NAME, "username").send_keys("kepala")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    click("Masuk")
    visit("/admin/siaran")
    assert "Siaran" in browser.title
    assert "Belum ada pengumuman yang dikirim dari konsol." in browser.page_source
    shot("siaran")

    write(TEXT)
    click("Pratinjau")
    source = browser.page_source
    assert "Pratinjau pengumuman #1" in source
    assert "0 pelanggan" in source  # no channel runs in this `serve`
    assert "WhatsApp, pesan dengan tombol" in source
    shot("siaran-pratinjau")
    click("✅ Kirim")
    assert "Pengumuman #1 sedang dikirim ke 0 pelanggan" in browser.page_source
    deadline = time.monotonic() + 20
    while "Terkirim: 0" not in browser.page_source:  # the sender's report, in the background
        assert time.monotonic() < deadline, "no report"
        time.sleep(0.2)
        visit("/admin/siaran")
    assert "selesai dikirim" in browser.page_source
    shot("siaran-terkirim")

    assert "Info gangguan" not in chat()
    visit("/admin/gangguan")
    assert "Tidak ada info gangguan yang terpasang." in browser.page_source
    write(OUTAGE)
    click("Pasang info gangguan")
    assert "Info gangguan dipasang." in browser.page_source
    assert "Cabut info gangguan" in browser.page_source
    shot("gangguan-dipasang")
    said = chat()
    assert "Info gangguan M-Paspor" in said
    assert OUTAGE in said

    click("Cabut info gangguan")
    assert "Info gangguan dicabut." in browser.page_source
    assert "Tidak ada info gangguan yang terpasang." in browser.page_source
    shot("gangguan-dicabut")
    assert "Info gangguan" not in chat()

    visit("/admin/audit")
    source = browser.page_source
    for action in ("draf-pengumuman", "kirim-pengumuman", "laporan-pengumuman"):
        assert action in source
    for action in ("pasang-gangguan", "cabut-gangguan"):
        assert action in source
    shot("audit")
    print(f"screenshots: {shots}")
    assert len(list(shots.glob("*.png"))) == 12
