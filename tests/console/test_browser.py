"""The console in a real headless browser (issue 19): Debian's chromium through the system
chromedriver (/usr/bin/chromedriver), driven by Selenium; nothing is downloaded. `serve` runs
as a child process with no channel configured (the console alone). Log in, edit an entry and
see `python -m bot ask` use it, mark it reviewed, open Suara pemohon, approve a draft, undo,
log out; a screenshot of every step goes to the test's temporary folder (printed;
`CONSOLE_SHOTS=DIR` keeps them in DIR).

Skipped without chromium or chromedriver, unless `REQUIRE_BROWSER=1` or `CI` is set."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.browser import chrome, shots_folder

from bot.storage import open_database
from bot.storage.drafts import Drafts

from .helpers import ROOT

PASSWORD = "sandi-uji-peramban"
NEW_WORDING = "zxqv tarif buku perjalanan"


def run_bot(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def served(
    tmp_path: Path, reserve_port: Callable[[], int]
) -> Iterator[tuple[str, dict[str, str]]]:
    """`serve` on a copy of faq.yaml with one admin and one pending draft."""
    shutil.copy(ROOT / "faq.yaml", tmp_path / "faq.yaml")
    env = {
        **os.environ,
        "TANYA_DATA_DIR": str(tmp_path / "data"),
        "FAQ_PATH": str(tmp_path / "faq.yaml"),
    }
    for name in [n for n in env if n.startswith(("TELEGRAM_", "WHATSAPP_", "INSTAGRAM_"))]:
        del env[name]
    env.pop("DATABASE_URL", None)
    run_bot(env, "admin", "add", "kepala", "--password-stdin", stdin=PASSWORD + "\n")
    asyncio.run(_draft(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'tanya_paspor.db'}"))
    port = reserve_port()
    log = (tmp_path / "serve.log").open("w")
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/healthz")
        yield base, env
    finally:
        child.terminate()
        child.wait(timeout=20)
        log.close()


async def _draft(url: str) -> None:
    engine = await open_database(url)
    try:
        await Drafts(engine).add(
            source="cluster", questions=["biaya paspor elektronik brp"], entry_id="biaya-paspor"
        )
    finally:
        await engine.dispose()


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve did not start")


@pytest.fixture
def browser() -> Iterator[object]:
    with chrome(width=390, height=844) as driver:  # a phone's screen
        yield driver


def test_log_in_edit_see_it_used_approve_undo_log_out(
    served: tuple[str, dict[str, str]], browser: object, tmp_path: Path
) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    base, env = served
    shots = shots_folder(tmp_path / "layar")
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        browser.save_screenshot(str(shots / f"{next(step):02d}-{name}.png"))

    def click(text: str) -> None:
        """Press a button and wait for the page it leads to."""
        old = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.XPATH, f"//button[normalize-space()='{text}']").click()
        # While the old page goes, chromedriver may answer "Node with given id does not
        # belong to the document" instead of "stale element": asked again, it says stale.
        WebDriverWait(browser, 20, ignored_exceptions=[WebDriverException]).until(
            staleness_of(old)
        )

    browser.get(f"{base}/admin/")
    assert browser.current_url.endswith("/admin/login")
    browser.find_element(By.NAME, "username").send_keys("kepala")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    shot("masuk")
    click("Masuk")
    assert "Ringkasan" in browser.title
    shot("ringkasan")

    asked = json.loads(run_bot(env, "ask", "--json", NEW_WORDING))
    assert asked["faq_id"] != "biaya-paspor"
    browser.get(f"{base}/admin/entri/biaya-paspor")
    questions = browser.find_element(By.NAME, "questions")
    questions.send_keys("\n" + NEW_WORDING)
    click("Pratinjau")
    shot("pratinjau")
    click("Simpan")
    assert "Tersimpan" in browser.page_source
    shot("tersimpan")
    assert json.loads(run_bot(env, "ask", "--json", NEW_WORDING))["faq_id"] == "biaya-paspor"
    click("Tandai sudah ditinjau (hari ini)")
    assert "Ditandai sudah ditinjau" in browser.page_source
    shot("ditinjau")

    browser.get(f"{base}/admin/suara")
    assert "Suara pemohon" in browser.title
    shot("suara")

    browser.get(f"{base}/admin/draf")
    browser.find_element(By.PARTIAL_LINK_TEXT, "#").click()
    shot("draf")
    click("Setujui: tambahkan ke entri")
    assert "Draf disetujui" in browser.page_source
    text = (tmp_path / "faq.yaml").read_text(encoding="utf-8")
    assert "biaya paspor elektronik brp" in text

    browser.get(f"{base}/admin/audit")
    shot("audit")
    click("Urungkan perubahan faq.yaml terakhir")
    assert "diurungkan" in browser.page_source
    text = (tmp_path / "faq.yaml").read_text(encoding="utf-8")
    assert "biaya paspor elektronik brp" not in text
    assert NEW_WORDING in text
    shot("diurungkan")

    click("Keluar")
    assert browser.current_url.endswith("/admin/login")
    browser.get(f"{base}/admin/entri")
    assert browser.current_url.endswith("/admin/login")
    shot("keluar")
    print(f"screenshots: {shots}")
    assert len(list(shots.glob("*.png"))) == 10
